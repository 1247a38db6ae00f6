import type { VResponse } from '../vserver/types'

const encoder = new TextEncoder()

function page(status: number, title: string, text: string, extra: Array<[string, string]> = []): VResponse {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${status} ${title}</title></head>`
    + `<body><h1>${status} ${title}</h1><p>${text}</p></body></html>\n`
  return { status, headers: [['content-type', 'text/html; charset=utf-8'], ['cache-control', 'no-store'], ...extra], body: encoder.encode(html) }
}

/** "5 s", "2.5 s", "0.1 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}

/** The visitor's answer when the handler ran past the limit. */
export function timeoutPage(limitMs: number): VResponse {
  return page(504, 'Gateway Timeout', `The site's handler took longer than ${seconds(limitMs)} to answer.`)
}

/** The visitor's answer when the worker went away while the request ran (another request's timeout, a crash). */
export function unavailablePage(): VResponse {
  return page(503, 'Service Unavailable', 'The site\'s server restarted while answering; please try again.', [['retry-after', '1']])
}
