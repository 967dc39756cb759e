/**
 * End-to-end in WeChat DevTools through miniprogram-automator. DevTools does not run on CI
 * machines, so without WECHAT_DEVTOOLS_CLI this suite is skipped and says why.
 */
import path from 'node:path'
import automator from 'miniprogram-automator'

const cliPath = process.env.WECHAT_DEVTOOLS_CLI
const describeWithDevTools = cliPath ? describe : describe.skip

if (!cliPath) {
  console.log('e2e skipped: WECHAT_DEVTOOLS_CLI is not set (point it at DevTools\' cli to run these against the local cloud)')
}

describeWithDevTools('home page in WeChat DevTools', () => {
  let miniProgram: Awaited<ReturnType<typeof automator.launch>>

  beforeAll(async () => {
    miniProgram = await automator.launch({ cliPath, projectPath: path.resolve(__dirname, '../..') })
  })

  afterAll(async () => {
    await miniProgram?.close()
  })

  it('shows the member summary from the local cloud (run npm start first)', async () => {
    const page = await miniProgram.reLaunch('/pages/home/index')
    await page!.waitFor(2000)
    const data = (await page!.data()) as { viewState: string; view: { brandName: string } }
    expect(data.viewState).toBe('ready')
    expect(data.view.brandName).not.toBe('')
    const entries = await page!.$$('.entry')
    expect(entries.length).toBe(4)
  })
})
