import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { L } from '../i18n';

/** Largest edge of the uploaded photo: enough to read a plate, small on patchy Wi-Fi. [P] */
const MAX_EDGE = 1280;
const JPEG_QUALITY = 0.8;

function canvasToJpeg(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', JPEG_QUALITY),
  );
}

/** One frame from the rear camera: open, wait for a frame, grab it, close (one tap). */
async function grabFrame(): Promise<Blob> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: 'environment', width: { ideal: MAX_EDGE } },
    audio: false,
  });
  try {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
    const w = video.videoWidth || 640;
    const hgt = video.videoHeight || 480;
    const scale = Math.min(1, MAX_EDGE / Math.max(w, hgt));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(hgt * scale);
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    return await canvasToJpeg(canvas);
  } finally {
    for (const t of stream.getTracks()) t.stop();
  }
}

/** A synthetic TEST photo for training mode (no camera): the plate painted on a grey car shape. */
export async function trainingPhoto(plate: string): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = '#7a8089';
    g.fillRect(0, 0, 640, 360);
    g.fillStyle = '#2b2f36';
    g.fillRect(120, 90, 400, 180);
    g.fillStyle = '#0b3d91';
    g.fillRect(220, 220, 200, 50);
    g.fillStyle = '#fff';
    g.font = 'bold 32px sans-serif';
    g.fillText(plate || 'TEST', 232, 256);
    g.font = '16px sans-serif';
    g.fillText('TEST 训练照片', 12, 24);
  }
  return canvasToJpeg(canvas);
}

/**
 * Vehicle photo: camera first (getUserMedia), then the file input (native camera app), and in training
 * mode a synthetic photo when the device has no camera.
 */
export function CameraCapture(props: {
  photo: Blob | null;
  onPhoto: (b: Blob) => void;
  training: boolean;
  plate: string;
  disabled?: boolean;
  /** Its button's test ID when a screen has more than one camera (default take-photo). */
  testId?: string;
  /** The button's words (default 拍摄车辆照片 / 重拍车辆照片). */
  label?: string;
}) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState<string | null>(null);

  useEffect(() => {
    if (!props.photo) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(props.photo);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [props.photo]);

  const take = async () => {
    setBusy(true);
    try {
      if (typeof navigator.mediaDevices?.getUserMedia === 'function') {
        try {
          props.onPhoto(await grabFrame());
          return;
        } catch {
          // No camera or no permission: fall through.
        }
      }
      if (props.training) props.onPhoto(await trainingPhoto(props.plate));
      else fileRef.current?.click();
    } finally {
      setBusy(false);
    }
  };

  return h(
    'div',
    null,
    h(
      'button',
      {
        type: 'button',
        'data-testid': props.testId ?? 'take-photo',
        disabled: props.disabled || busy,
        onClick: take,
        style: 'width:100%',
      },
      props.label ??
        (props.photo ? L('重拍车辆照片', 'Retake photo') : L('拍摄车辆照片', 'Take vehicle photo')),
    ),
    h('input', {
      ref: fileRef,
      type: 'file',
      accept: 'image/*',
      capture: 'environment',
      class: 'visually-hidden',
      'aria-label': L('选择照片文件', 'Choose a photo file'),
      tabIndex: -1,
      onChange: (e: Event) => {
        const f = (e.target as HTMLInputElement).files?.[0];
        if (f) props.onPhoto(f);
      },
    }),
    url ? h('img', { class: 'photo', src: url, alt: L('车辆照片', 'Vehicle photo') }) : null,
  );
}
