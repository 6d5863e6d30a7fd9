/** Templates: list, edit with a preview the API renders, send a test. */
import { useEffect, useState } from 'preact/hooks';
import { can, ErrorNote, Page, useLoad, useSession, when } from '../ui.tsx';
import { HtmlPreview } from '../preview.tsx';

interface Summary {
  id: string;
  name: string;
  subject?: string;
  version: number;
  updated_at: string;
}

interface Template extends Summary {
  subject: string;
  html: string | null;
  text: string | null;
}

interface Rendered {
  subject: string;
  html: string | null;
  text: string | null;
}

interface Draft {
  name: string;
  subject: string;
  html: string;
  text: string;
}

const BLANK: Draft = { name: '', subject: '', html: '', text: '' };

function parseData(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const value = JSON.parse(text) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('Preview data must be a JSON object.');
  return value as Record<string, unknown>;
}

function Editor({ id, onSaved }: { id: string | null; onSaved: (id: string) => void }) {
  const { api, caller } = useSession();
  const [draft, setDraft] = useState<Draft>(BLANK);
  const [data, setData] = useState('{"name": "Ann"}');
  const [preview, setPreview] = useState<Rendered>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const [testTo, setTestTo] = useState('');
  const [testFrom, setTestFrom] = useState('');
  const writable = can(caller, 'send');

  const render = async (templateId: string, dataText: string) => {
    try {
      setPreview(await api.post<Rendered>(`/templates/${encodeURIComponent(templateId)}/render`, { data: parseData(dataText) }));
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  };
  useEffect(() => {
    setSaved(undefined);
    setPreview(undefined);
    if (!id) return setDraft(BLANK);
    api
      .get<Template>(`/templates/${encodeURIComponent(id)}`)
      .then((t) => setDraft({ name: t.name, subject: t.subject, html: t.html ?? '', text: t.text ?? '' }), setError);
  }, [id]);
  // The preview follows the data as it is typed (the stored template, rendered by the API).
  useEffect(() => {
    if (!id) return;
    const timer = setTimeout(() => void render(id, data), 300);
    return () => clearTimeout(timer);
  }, [id, data]);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const body = {
      name: draft.name,
      subject: draft.subject,
      ...(draft.html && { html: draft.html }),
      ...(draft.text && { text: draft.text }),
    };
    try {
      const stored = id
        ? await api.put<Template>(`/templates/${encodeURIComponent(id)}`, body)
        : await api.post<Template>('/templates', body);
      setSaved(`Saved as version ${stored.version}.`);
      onSaved(stored.id);
      await render(stored.id, data);
    } catch (failure) {
      setError(failure);
    }
  };
  const sendTest = async (event: Event) => {
    event.preventDefault();
    if (!id) return;
    try {
      const sent = await api.post<{ id: string }>('/messages', { from: testFrom, to: testTo, template: { id, data: parseData(data) } });
      setSaved(`Test queued: message ${sent.id}.`);
    } catch (failure) {
      setError(failure);
    }
  };
  const input = (name: keyof Draft, label: string, multiline = false) => (
    <label class="wide">
      {label}
      {multiline ? (
        <textarea rows={8} value={draft[name]} onInput={(e) => setDraft({ ...draft, [name]: (e.target as HTMLTextAreaElement).value })} />
      ) : (
        <input required value={draft[name]} onInput={(e) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })} />
      )}
    </label>
  );
  return (
    <div class="editor">
      <form onSubmit={save} aria-label="Template">
        {input('name', 'Name')}
        {input('subject', 'Subject')}
        {input('html', 'HTML', true)}
        {input('text', 'Text', true)}
        <button type="submit" disabled={!writable}>
          {id ? 'Save' : 'Create template'}
        </button>
        {!writable && <p class="muted">Saving needs the send scope.</p>}
      </form>
      <div>
        <label class="wide">
          Preview data (JSON)
          <textarea rows={3} value={data} onInput={(e) => setData((e.target as HTMLTextAreaElement).value)} />
        </label>
        {saved && <p role="status">{saved}</p>}
        <ErrorNote error={error} />
        {preview ? (
          <section aria-label="Preview" class="preview">
            <p>
              <strong>Subject:</strong> <span data-preview-subject>{preview.subject}</span>
            </p>
            {preview.html !== null && <HtmlPreview title="HTML preview" html={preview.html} />}
            {preview.text !== null && <pre>{preview.text}</pre>}
          </section>
        ) : (
          <p class="muted">{id ? 'Rendering…' : 'Create the template to see it rendered by the API.'}</p>
        )}
        {id && writable && (
          <form class="inline" onSubmit={sendTest} aria-label="Send a test">
            <label>
              Test from
              <input type="email" required value={testFrom} onInput={(e) => setTestFrom((e.target as HTMLInputElement).value)} />
            </label>
            <label>
              Test to
              <input type="email" required value={testTo} onInput={(e) => setTestTo((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit">Send a test</button>
          </form>
        )}
      </div>
    </div>
  );
}

/** The Templates page. */
export function Templates() {
  const { api } = useSession();
  const [selected, setSelected] = useState<string | null>(null);
  const list = useLoad(() => api.get<{ data: Summary[] }>('/templates', { limit: 100 }), []);
  return (
    <Page
      title="Templates"
      actions={
        <button type="button" class="secondary" onClick={() => setSelected(null)}>
          New template
        </button>
      }
    >
      <ErrorNote error={list.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Templates</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Version</th>
              <th scope="col">Updated (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.data ?? []).map((t) => (
              <tr key={t.id} aria-selected={t.id === selected}>
                <td>
                  <button type="button" class="link" onClick={() => setSelected(t.id)}>
                    {t.name}
                  </button>
                </td>
                <td>
                  <code>{t.id}</code>
                </td>
                <td>{t.version}</td>
                <td>{when(t.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{selected ? 'Edit template' : 'New template'}</h2>
      <Editor
        id={selected}
        onSaved={(id) => {
          setSelected(id);
          list.reload();
        }}
      />
    </Page>
  );
}
