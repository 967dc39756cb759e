import { CloudCallError } from './call-cloud'

/** Every page that loads data is in one of these states; the state-view component draws them. */
export type ViewState = 'loading' | 'ready' | 'empty' | 'error'

export interface LoadableData {
  viewState: ViewState
  errorMessage: string
}

export const initialLoadable: LoadableData = { viewState: 'loading', errorMessage: '' }

export function errorMessageOf(e: unknown): string {
  if (e instanceof CloudCallError) return e.message
  return '加载失败，请稍后重试'
}

/**
 * Runs a load and answers the patch to setData: the loaded fields plus viewState, or the error
 * state with a message a person can act on. `isEmpty` decides the empty state.
 */
export async function loadState<T extends object>(
  load: () => Promise<T>,
  isEmpty: (data: T) => boolean = () => false,
): Promise<Partial<T> & LoadableData> {
  try {
    const data = await load()
    return { ...data, viewState: isEmpty(data) ? 'empty' : 'ready', errorMessage: '' }
  } catch (e) {
    return { viewState: 'error', errorMessage: errorMessageOf(e) } as Partial<T> & LoadableData
  }
}
