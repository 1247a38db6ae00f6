/// <reference types="vite/client" />
import { SITE_GLOBALS_DTS } from '../vserver/event/dts'

type Monaco = typeof import('monaco-editor')
type YMonaco = typeof import('y-monaco')
/**
 * Monaco's light theme with every token colour at 4.5:1 or more on its white
 * background (WCAG 2.1 AA): 'vs' draws doctypes and annotations #808080 and
 * attribute names #FF0000, about 4:1.
 */
export const LIGHT_THEME = 'peerserver-light'
/** The editor's theme for the page's colour scheme. */
export function editorTheme(dark: boolean): string {
  return dark ? 'vs-dark' : LIGHT_THEME
}
const LIGHT_RULES = [
  { token: 'annotation', foreground: '5f5f5f' },
  { token: 'metatag.html', foreground: '5f5f5f' },
  { token: 'metatag.xml', foreground: '5f5f5f' },
  { token: 'metatag.content.html', foreground: 'b00000' },
  { token: 'attribute.name', foreground: 'b00000' },
  { token: 'string.sql', foreground: 'b00000' },
  { token: 'operator.sql', foreground: '56606b' },
]

let loading: Promise<{ monaco: Monaco, MonacoBinding: YMonaco['MonacoBinding'] }> | undefined

/**
 * Load Monaco once, with its language workers bundled by Vite (`?worker`) and
 * the handler helpers' declarations for completion in route files. Monaco is
 * large, so the studio shows its file tree before the editor arrives.
 */
export function loadMonaco(): Promise<{ monaco: Monaco, MonacoBinding: YMonaco['MonacoBinding'] }> {
  loading ??= (async () => {
    const [monaco, { MonacoBinding }, editorWorker, tsWorker, jsonWorker, cssWorker, htmlWorker] = await Promise.all([
      import('monaco-editor'),
      import('y-monaco'),
      import('monaco-editor/editor/editor.worker?worker'),
      import('monaco-editor/language/typescript/ts.worker?worker'),
      import('monaco-editor/language/json/json.worker?worker'),
      import('monaco-editor/language/css/css.worker?worker'),
      import('monaco-editor/language/html/html.worker?worker'),
    ])
    const workers: Record<string, new () => Worker> = {
      typescript: tsWorker.default, javascript: tsWorker.default,
      json: jsonWorker.default,
      css: cssWorker.default, scss: cssWorker.default, less: cssWorker.default,
      html: htmlWorker.default, handlebars: htmlWorker.default,
    }
    globalThis.MonacoEnvironment = {
      getWorker: (_id: string, label: string) => new (workers[label] ?? editorWorker.default)(),
    }
    const js = monaco.typescript.javascriptDefaults
    js.setCompilerOptions({
      target: monaco.typescript.ScriptTarget.ESNext,
      module: monaco.typescript.ModuleKind.ESNext,
      allowJs: true,
      allowNonTsExtensions: true,
      lib: ['es2022', 'dom'],
    })
    js.addExtraLib(SITE_GLOBALS_DTS, 'file:///peerserver-globals.d.ts')
    monaco.editor.defineTheme(LIGHT_THEME, { base: 'vs', inherit: true, rules: LIGHT_RULES, colors: {} })
    return { monaco, MonacoBinding }
  })()
  return loading
}
