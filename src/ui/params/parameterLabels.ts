/** Human labels and units for the POC parameters; any other parameter shows its config name. */
const LABELS: Record<string, { label: string; unit?: string; help: string }> = {
  void_shape: { label: 'Void shape', help: 'Drawing function: circle, ellipse or a smooth irregular blob' },
  void_count: { label: 'Void count', help: 'Exactly this many voids per image' },
  base_size: { label: 'Base size', unit: 'px', help: 'Base void radius' },
  brightness_factor: { label: 'Brightness factor', help: 'Pixel values inside a void are multiplied by this (0 black, 1 unchanged)' },
  size_std: { label: 'Size spread', unit: 'px', help: 'Each radius = base size + N(0, size spread²)' },
  position_spread: { label: 'Position spread', help: 'Share of the image width and height the void centres are drawn from' },
};

export function parameterLabel(name: string): { label: string; unit?: string; help: string } {
  return LABELS[name] ?? { label: name, help: name };
}
