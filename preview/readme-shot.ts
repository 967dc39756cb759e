/**
 * docs/screens/preview.png for the README: the preview with the demo member's invite shared to
 * the chat.  npx tsx preview/readme-shot.ts
 */
import { join } from 'node:path'
import { statSync } from 'node:fs'
import { PreviewUi, startWorld } from '../test/journeys/harness'
import { README_DIR } from '../screens/run'

async function main(): Promise<void> {
  const world = await startWorld()
  try {
    const ui = await PreviewUi.open(world)
    const member = ui.phone('consumer')
    await member.see('拾光咖啡')
    await member.tap('邀请好友')
    await member.tap('邀请微信好友')
    await member.seeOverlay('已发送到聊天')
    await ui.page.waitForTimeout(2500) // the toast fades
    const file = join(README_DIR, 'preview.png')
    await ui.page.screenshot({ path: file, clip: { x: 100, y: 0, width: 1080, height: 900 } })
    console.log(`${file}: ${Math.round(statSync(file).size / 1024)} KB`)
    await ui.close()
  } finally {
    await world.close()
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message)
  process.exit(1)
})
