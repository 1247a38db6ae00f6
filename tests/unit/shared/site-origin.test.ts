import { describe, expect, it } from 'vitest'
import { siteFromHost, siteOrigin } from '../../../shared/site-origin'

describe('siteFromHost', () => {
  it.each([
    ['blog.localhost:3000', 'http://{site}.localhost:{port}', 'blog'],
    ['my-site-2.localhost:8080', 'http://{site}.localhost:{port}', 'my-site-2'],
    ['BLOG.LOCALHOST:3000', 'http://{site}.localhost:{port}', 'blog'],
    ['blog.localhost', 'http://{site}.localhost:{port}', 'blog'],
    ['quiz.sites.example.edu', 'https://{site}.sites.example.edu', 'quiz'],
  ])('%s under %s is site %s', (host, pattern, site) => {
    expect(siteFromHost(host, pattern)).toBe(site)
  })

  it.each([
    ['localhost:3000', 'http://{site}.localhost:{port}'],
    ['127.0.0.1:3000', 'http://{site}.localhost:{port}'],
    ['a.b.localhost:3000', 'http://{site}.localhost:{port}'],
    ['ab.localhost:3000', 'http://{site}.localhost:{port}'],
    ['-blog.localhost:3000', 'http://{site}.localhost:{port}'],
    ['blog.localhost.evil.com', 'http://{site}.localhost:{port}'],
    ['quiz.sites.example.edu.evil', 'https://{site}.sites.example.edu'],
    ['quizXsitesXexampleXedu', 'https://{site}.sites.example.edu'],
  ])('%s under %s is the app, not a site', (host, pattern) => {
    expect(siteFromHost(host, pattern)).toBeNull()
  })
})

describe('siteOrigin', () => {
  it('fills in the site and the port of the request', () => {
    expect(siteOrigin('blog', 'localhost:3000')).toBe('http://blog.localhost:3000')
    expect(siteOrigin('blog', 'localhost')).toBe('http://blog.localhost')
    expect(siteOrigin('quiz', 'app.example.edu', 'https://{site}.sites.example.edu')).toBe('https://quiz.sites.example.edu')
  })
})
