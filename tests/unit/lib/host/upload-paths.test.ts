import { describe, expect, it } from 'vitest'
import { sitePathsForUpload } from '../../../../lib/host/upload-paths'

describe('sitePathsForUpload', () => {
  it('puts plain files under public/', () => {
    expect(sitePathsForUpload(['cat.png', 'index.html'])).toEqual(['public/cat.png', 'public/index.html'])
  })

  it('puts a plain folder’s contents under public/, without the folder’s name', () => {
    expect(sitePathsForUpload(['my-site/index.html', 'my-site/css/a.css'])).toEqual(['public/index.html', 'public/css/a.css'])
  })

  it('keeps a folder laid out as a site as it is', () => {
    expect(sitePathsForUpload(['blog/public/index.html', 'blog/routes/api/x.post.js', 'blog/views/post.mustache']))
      .toEqual(['public/index.html', 'routes/api/x.post.js', 'views/post.mustache'])
  })
})
