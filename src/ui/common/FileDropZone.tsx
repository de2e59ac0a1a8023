import { useId, useState, type DragEvent, type ReactNode } from 'react';

interface FileDropZoneProps {
  /** The accessible name of the file input (tests and screen readers find it by this). */
  label: string;
  accept: string;
  multiple?: boolean;
  disabled?: boolean;
  hint: ReactNode;
  /** What to drop (default: images). */
  what?: string;
  onFiles(files: File[]): void;
}

/** A drop area with a real, keyboard-reachable file input inside. */
export function FileDropZone({ label, accept, multiple = true, disabled, hint, what = 'images', onFiles }: FileDropZoneProps) {
  const id = useId();
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!disabled && e.dataTransfer.files.length) onFiles([...e.dataTransfer.files]);
  };
  return (
    <div
      className={`dropzone${over ? ' dropzone--over' : ''}${disabled ? ' dropzone--disabled' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <input
        id={id}
        className="visually-hidden"
        type="file"
        aria-label={label}
        accept={accept}
        multiple={multiple}
        disabled={disabled}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = ''; // the same file can be chosen again
          if (files.length) onFiles(files);
        }}
      />
      <label htmlFor={id} className="dropzone__label">
        <span className="dropzone__title">Drop {what} here or <span className="link">browse</span></span>
        <span className="dropzone__hint">{hint}</span>
      </label>
    </div>
  );
}
