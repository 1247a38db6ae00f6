export { createViewRenderer, type ViewRenderer, type ViewRendererOptions } from './renderer'
export { viewPath, partialPaths, VIEWS_DIR } from './names'
export { DEFAULT_MAX_PARTIAL_DEPTH } from './partials'
