import { useMemo, useState } from 'react';
import { INFER_MARGIN } from '../../../engine/space/inferSpace';
import { spaceToYaml } from '../../../engine/space/spaceFile';
import { decodeInputText } from '../../../storage/formats/csvText';
import { inferSpaceFromCsv } from '../../../storage/formats/inferSpaceCsv';
import { readVectors } from '../../../storage/formats/vectors';
import { checkSpaceText, resultFiles, useStudyStore } from '../../../state/studyStore';
import type { ResultFile } from '../../../app/studyResults';
import { FileDropZone } from '../../../ui/common/FileDropZone';
import { ModelPanel } from '../../../ui/model/ModelPanel';
import { SpaceSummary } from './SpaceSummary';
import { StudyMessages } from './StudyMessages';

const EXAMPLE = `parameters:
  - {name: brightness, type: float, low: 0.3, high: 0.8}
  - {name: size, type: float, low: 1, high: 100, log: true}
  - {name: count, type: int, low: 3, high: 20}
  - {name: shape, type: categorical, choices: [circle, ellipse, irregular]}
`;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A real set as read: the file, its size in vectors, or why it is not one. */
type RealSet = { file: ResultFile; rows: number; cols: number } | { error: string } | null;

/**
 * A new ask/tell study: the parameter space (typed, loaded from a file, or read off an existing batch's
 * parameters), the real set as vectors, how iteration 0 starts (a proposed space-filling design or the
 * user's own batch) and the loop's settings. Every input is checked as it is given, with the file's
 * own message; nothing is stored until "Create study".
 */
export function NewStudyForm() {
  const busy = useStudyStore((s) => s.busy);
  const create = useStudyStore((s) => s.create);
  const [name, setName] = useState('My study');
  const [spaceText, setSpaceText] = useState(EXAMPLE);
  const [spaceFile, setSpaceFile] = useState('space (typed here)');
  const [spaceNote, setSpaceNote] = useState<string | null>(null);
  const [real, setReal] = useState<RealSet>(null);
  const [realKind, setRealKind] = useState<'vectors' | 'images'>('vectors');
  const [realImages, setRealImages] = useState<File[]>([]);
  const [start, setStart] = useState<'design' | 'batch'>('design');
  const [batchFiles, setBatchFiles] = useState<ResultFile[]>([]);
  const [settings, setSettings] = useState({ batch: 8, replicates: 3, initial: 16, seed: 0 });
  const checked = useMemo(() => checkSpaceText(spaceText, spaceFile), [spaceText, spaceFile]);

  const loadSpace = async (file: File) => {
    setSpaceText(await file.text());
    setSpaceFile(file.name);
    setSpaceNote(null);
  };
  const inferSpace = async (file: File) => {
    try {
      const [bytes] = await resultFiles([file]);
      const space = inferSpaceFromCsv(decodeInputText(bytes.bytes, file.name), file.name);
      setSpaceText(spaceToYaml(space));
      setSpaceFile(`space inferred from ${file.name}`);
      setSpaceNote(`Read off ${file.name}: numeric ranges widened by ${INFER_MARGIN * 100} % of the observed range on each side (not below 0 where every value is ≥ 0). Check them before creating the study.`);
    } catch (e) {
      setSpaceNote(null);
      useStudyStore.setState({ message: { kind: 'error', text: messageOf(e) } });
    }
  };
  const chooseReal = async (file: File) => {
    const [bytes] = await resultFiles([file]);
    try {
      const m = readVectors(bytes.bytes, file.name);
      setReal({ file: bytes, rows: m.rows, cols: m.cols });
    } catch (e) {
      setReal({ error: messageOf(e) });
    }
  };
  const number = (key: keyof typeof settings, min: number, max: number) => (
    <label className="study-field">
      <span>{LABELS[key]}</span>
      <input type="number" min={min} max={max} step={1} value={settings[key]} onChange={(e) => setSettings({ ...settings, [key]: Math.max(min, Math.min(max, Math.round(Number(e.target.value) || min))) })} />
    </label>
  );
  const realReady = realKind === 'vectors' ? real !== null && 'file' in real : realImages.length >= 2;
  const ready = 'space' in checked && realReady && (start === 'design' || batchFiles.length > 0) && !busy;

  return (
    <section className="panel" aria-label="New study">
      <h2>New study of your own generator</h2>
      <p className="panel__note">Your generator and encoder run where they are: the page proposes parameter sets, you upload the embeddings of what they made.</p>
      <label className="study-field study-field--wide">
        <span>Name</span>
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </label>

      <h3 className="study-subhead">Parameter space</h3>
      <textarea className="study-yaml" aria-label="Parameter space (YAML or JSON)" spellCheck={false} rows={6} value={spaceText} onChange={(e) => (setSpaceText(e.target.value), setSpaceFile('space (typed here)'), setSpaceNote(null))} />
      <div className="button-row">
        <FilePickButton label="Load a space file" accept=".yaml,.yml,.json" onFile={(f) => void loadSpace(f)} />
        <FilePickButton label="Infer from a parameter file" accept=".csv" onFile={(f) => void inferSpace(f)} />
      </div>
      {spaceNote && <p className="panel__note">{spaceNote}</p>}
      {'space' in checked ? <SpaceSummary space={checked.space} /> : <p className="error" role="alert">{checked.error}</p>}

      <h3 className="study-subhead">Real set</h3>
      <fieldset className="radio-group">
        <legend className="visually-hidden">How the real set is given</legend>
        <label>
          <input type="radio" name="real-kind" checked={realKind === 'vectors'} onChange={() => setRealKind('vectors')} />
          <span>Embeddings computed with your encoder</span>
        </label>
        <label>
          <input type="radio" name="real-kind" checked={realKind === 'images'} onChange={() => setRealKind('images')} />
          <span>Images, embedded here with the model below (embed your samples with the same model)</span>
        </label>
      </fieldset>
      {realKind === 'vectors' ? (
        <>
          <FileDropZone label="Real vectors" accept=".npy,.csv,.json" multiple={false} what="real embeddings" hint=".npy (float32/float64, 2-D), CSV or JSON: one vector per real sample" onFiles={([f]) => void chooseReal(f)} />
          {real && ('file' in real ? <p className="panel__note">{real.file.name}: {real.rows} vectors of {real.cols} values</p> : <p className="error" role="alert">{real.error}</p>)}
        </>
      ) : (
        <>
          <FileDropZone label="Real images" accept="image/*,.tif,.tiff" hint="PNG, JPEG, WebP, BMP or TIFF; the vectors are stored, not the images" onFiles={setRealImages} />
          {realImages.length > 0 && <p className="panel__note">{realImages.length} real images, embedded when the study is created</p>}
          <ModelPanel />
        </>
      )}

      <h3 className="study-subhead">Iteration 0</h3>
      <fieldset className="radio-group">
        <legend className="visually-hidden">How iteration 0 starts</legend>
        <label>
          <input type="radio" name="iteration-zero" checked={start === 'design'} onChange={() => setStart('design')} />
          <span>A space-filling design proposed here (scrambled Sobol, {settings.initial} sets)</span>
        </label>
        <label>
          <input type="radio" name="iteration-zero" checked={start === 'batch'} onChange={() => setStart('batch')} />
          <span>My existing synthetic batch (parameters and embeddings per sample)</span>
        </label>
      </fieldset>
      {start === 'batch' && (
        <>
          <FileDropZone label="Existing batch" accept=".csv,.npy,.json" what="your batch" hint="A samples .csv with its embeddings (.npy, .csv or .json), or one results .json" onFiles={(files) => void resultFiles(files).then(setBatchFiles)} />
          {batchFiles.length > 0 && <p className="panel__note">{batchFiles.map((f) => f.name).join(' + ')}</p>}
        </>
      )}

      <div className="study-settings">
        {number('batch', 1, 64)}
        {number('replicates', 1, 64)}
        {start === 'design' && number('initial', 1, 256)}
        {number('seed', 0, 2 ** 31 - 1)}
      </div>
      <button
        type="button"
        className="button button--primary"
        disabled={!ready}
        onClick={() =>
          void create({
            name,
            spaceText,
            spaceFile,
            real: realKind === 'images' ? { images: realImages } : { vectors: (real as { file: ResultFile }).file },
            ...settings,
            ...(start === 'batch' ? { iterationZero: batchFiles } : {}),
          })
        }
      >
        {busy ?? 'Create study'}
      </button>
      <StudyMessages />
    </section>
  );
}

const LABELS = { batch: 'Sets per batch', replicates: 'Replicates per set', initial: 'Initial design sets', seed: 'Seed' } as const;

/** A button that opens a file chooser. */
function FilePickButton({ label, accept, onFile }: { label: string; accept: string; onFile(f: File): void }) {
  return (
    <label className="button button--small">
      {label}
      <input
        type="file"
        className="visually-hidden"
        aria-label={label}
        accept={accept}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
