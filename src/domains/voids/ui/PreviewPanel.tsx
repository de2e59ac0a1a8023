import { usePreviewStore } from './state/previewStore';
import { ProgressBar } from '../../../ui/common/ProgressBar';
import { PreviewGrid } from './PreviewGrid';

export function PreviewPanel() {
  const { images, progress, error, cancel } = usePreviewStore();
  return (
    <section className="panel panel--main" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      {progress && <ProgressBar label="Generating images" done={progress.done} total={progress.total} onCancel={cancel} />}
      {error && (
        <p className="error" role="alert">
          Could not generate: {error}
        </p>
      )}
      {images.length === 0 && !progress && (
        <p className="panel__note">Choose a parameter set on the left and press “Generate preview” to see its replications.</p>
      )}
      <PreviewGrid images={images} />
    </section>
  );
}
