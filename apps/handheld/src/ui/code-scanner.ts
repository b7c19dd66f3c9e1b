import { BarcodeFormat, BrowserMultiFormatReader } from '@zxing/browser';
import { DecodeHintType } from '@zxing/library';

/**
 * The camera reading a driver's 付款码 with ZXing (@zxing/browser): loaded only when the collector opens the
 * camera (ui/cpc-pay.ts imports it lazily), so the first screen stays small. Payment codes are shown as a
 * Code 128 barcode above a QR code; UnionPay's too [I] — the formats stay a list here, configurable.
 */
const FORMATS = [BarcodeFormat.QR_CODE, BarcodeFormat.CODE_128];

/** Starts the rear camera in `video` and calls `onText` with each decoded text; the result stops it. */
export async function startCodeScanner(
  video: HTMLVideoElement,
  onText: (text: string) => void,
): Promise<() => void> {
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, FORMATS]]);
  const reader = new BrowserMultiFormatReader(hints, { delayBetweenScanAttempts: 100 });
  const controls = await reader.decodeFromConstraints(
    { video: { facingMode: 'environment' }, audio: false },
    video,
    (result) => {
      if (result) onText(result.getText());
    },
  );
  return () => controls.stop();
}
