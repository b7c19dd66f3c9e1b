import { type Static, Type } from 'typebox';
import { Nullable } from './common';

/** Vehicle photos: uploaded as the raw body, stored by sha256 with a thumbnail. */

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export const StoredImageSchema = Type.Object({
  sha256: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  thumbSha256: Nullable(Type.String()),
});
export type StoredImage = Static<typeof StoredImageSchema>;

export const ShaParam = Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) });
