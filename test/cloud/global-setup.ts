/** Builds the app's cloud functions once before the cloud integration tests run. */
import { buildFunctions } from '../../scripts/build'

export default async function globalSetup(): Promise<void> {
  await buildFunctions()
}
