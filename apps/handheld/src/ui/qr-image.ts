import { BrowserQRCodeSvgWriter } from '@zxing/browser';

/**
 * The 主扫 code as an image the driver scans (ZXing's QR encoder, loaded with the camera's chunk only when a
 * dynamic code is shown, ui/cpc-pay.ts).
 */
export function qrSvg(text: string, size: number): SVGSVGElement {
  return new BrowserQRCodeSvgWriter().write(text, size, size);
}
