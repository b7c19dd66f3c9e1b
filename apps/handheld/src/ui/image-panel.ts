import { h } from 'preact';
import { L } from '../i18n';
import { CameraCapture } from './camera';
import { Panel, Progress } from './common';
import { ColourChips, PlateInput } from './plate-input';

/** 图像识别: the actual plate and colour, the vehicle's photo and 【提交图片数据】, for any medium. */
export function ImagePanel(props: {
  plate: string;
  colour: number;
  plateError: string | null;
  photo: Blob | null;
  /** The camera may draw a training photo of the plate (simulated reader). */
  training: boolean;
  /** Upload progress 0..1 while uploading, else null. */
  uploading: number | null;
  submitted: boolean;
  disabled: boolean;
  onPlate: (plate: string) => void;
  onColour: (colour: number) => void;
  onPhoto: (photo: Blob) => void;
  onSubmit: () => void;
}) {
  const uploading = props.uploading !== null;
  return h(
    Panel,
    { title: L('图像识别', 'Image'), testId: 'image-area' },
    h(PlateInput, {
      value: props.plate,
      onChange: props.onPlate,
      error: props.plateError,
      disabled: props.disabled,
    }),
    h(ColourChips, { value: props.colour, onChange: props.onColour, disabled: props.disabled }),
    h('div', { style: 'margin-top:8px' }),
    h(CameraCapture, {
      photo: props.photo,
      onPhoto: props.onPhoto,
      training: props.training,
      plate: props.plate,
      disabled: props.disabled,
    }),
    props.uploading !== null
      ? h(Progress, { value: props.uploading, label: L('上传进度', 'Upload progress') })
      : null,
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        style: 'margin-top:8px',
        'data-testid': 'submit-image',
        disabled: props.disabled,
        onClick: props.onSubmit,
      },
      uploading ? L('正在上传…', 'Uploading…') : '【提交图片数据】',
    ),
    props.submitted
      ? h('p', { class: 'success', role: 'status' }, L('图片数据已提交', 'Image data submitted'))
      : null,
  );
}
