import { describe, expect, it } from 'vitest'
import { planUpload } from '../../../../lib/studio/upload-plan'

describe('planUpload', () => {
  it('puts plain files under public/', () => {
    expect(planUpload(['cat.png', 'index.html'])).toEqual({ paths: ['public/cat.png', 'public/index.html'], replacesSite: false })
  })

  it('puts a plain folder’s contents under public/, without the folder’s name', () => {
    expect(planUpload(['my-site/index.html', 'my-site/css/a.css'])).toEqual({ paths: ['public/index.html', 'public/css/a.css'], replacesSite: false })
  })

  it('takes a folder laid out as a site as the whole site, paths as they are', () => {
    expect(planUpload(['blog/public/index.html', 'blog/routes/api/x.post.js', 'blog/views/post.mustache']))
      .toEqual({ paths: ['public/index.html', 'routes/api/x.post.js', 'views/post.mustache'], replacesSite: true })
  })
})
