/** A 16×12 TEST JPEG (jpeg-js, quality 50): a camera's photo stand-in for tests, the trip CLI and the bench. */
const BASE = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2MBERISGBUYLxoaL2NCOEJjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY//AABEIAAwAEAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AJAlnIoCCKI5zuQIT9OWNeXeonrd/f8A5HrXqxd3d/f+iQbXiDMPKZAeMMhYj6BTRdS01v8AP/MLqWmt/n+baNC5sY1tri5Eku9IywAfauQPQY9K5oVW5KFla5yU68nOMLKzf9bmJBqc/wDl3/8Aiq75UI/1b/I9KeGh/SX+R//Z',
  'base64',
);

/**
 * A distinct TEST JPEG per label: the base image with a comment segment (FF FE) after SOI naming it, so
 * every photo of a TEST trip is its own content-addressed id and still decodes.
 */
export function testJpeg(label = 'TEST'): Buffer {
  const text = Buffer.from(`TEST ${label}`.slice(0, 200), 'utf8');
  const com = Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]);
  return Buffer.concat([BASE.subarray(0, 2), com, text, BASE.subarray(2)]);
}
