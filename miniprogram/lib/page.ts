import { toastError, instanceStore } from './ui'
import { errorMessageOf, initialLoadable, type LoadableData, type ViewState } from './view-state'

export interface LoadOptions {
  /** A refresh of what is shown: no loading state, and a failure keeps the current view. */
  quiet?: boolean
  /** Pull-down refresh: per-user caches (the staff session) are asked again. */
  fresh?: boolean
}

/** What a page's load answers: the fields to show, with viewState 'empty' when there is nothing. */
export type Loaded<TData> = Partial<TData> & { viewState?: Exclude<ViewState, 'loading'>; errorMessage?: string }

/** Methods every loadable page gets from definePage. */
export interface LoadableMethods {
  /** Runs the page's load with the loading / ready / empty / error states around it. */
  reload(opts?: LoadOptions): Promise<void>
  /** state-view's 重新加载 */
  onRetry(): void
  onPullDownRefresh(): void
}

type Query = Record<string, string | undefined>

// miniprogram-api-typings spells "no properties" / "no methods" as {}.
export type PageInstance<TData extends WechatMiniprogram.Component.DataOption, TMethod extends WechatMiniprogram.Component.MethodOption> =
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  WechatMiniprogram.Component.Instance<TData & LoadableData, {}, TMethod & LoadableMethods, [], {}, true>

export interface PageSpec<TData, TMethod> {
  data: TData
  /** The page's one load: fetch, answer what to show (or throw: the error state with the message). */
  load(opts: LoadOptions): Promise<Loaded<TData>>
  /** onLoad's query, before the first load. */
  onQuery?(query: Query): void
  /** Back on screen after a load succeeded (from paying, another tab): refresh quietly. */
  refreshOnShow?: boolean
  methods?: TMethod
  lifetimes?: WechatMiniprogram.Component.Lifetimes['lifetimes']
  pageLifetimes?: Partial<WechatMiniprogram.Component.PageLifetimes>
}

const runs = instanceStore(() => ({ seq: 0, loaded: false }))

/** The state fields are the page's own (definePage adds them), whatever TData is. */
function viewStateOf(page: object): LoadableData['viewState'] | undefined {
  return (page as { data: Partial<LoadableData> }).data.viewState
}

function setState(page: object, patch: Partial<LoadableData> & WechatMiniprogram.IAnyObject): void {
  ;(page as WechatMiniprogram.Component.TrivialInstance).setData(patch)
}

/**
 * A page as a Component() whose viewState, 重新加载, pull-down refresh and error handling all
 * come from its one `load`. Loads do not race: only the newest one's answer is shown. The
 * page's own methods may still define onLoad / onShow to do more (they then call reload).
 *
 * Typing: `this` in load and in methods is the page (data + methods + reload). When TypeScript
 * cannot infer the methods (it reports a method missing on `this`), write `methods` before
 * `load` in the spec: it infers properties in order once `this` is involved.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function definePage<TData extends WechatMiniprogram.Component.DataOption, TMethod extends WechatMiniprogram.Component.MethodOption = {}>(
  spec: PageSpec<TData, TMethod> & ThisType<PageInstance<TData, TMethod>>,
): string {
  // load and onQuery are always called with .call(this), never detached.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { data, load, onQuery, refreshOnShow, methods, ...rest } = spec
  const own: LoadableMethods & ThisType<PageInstance<TData, TMethod>> = {
    async reload(opts: LoadOptions = {}) {
      const r = runs(this)
      const seq = (r.seq += 1)
      if (!opts.quiet) setState(this, { viewState: 'loading' })
      try {
        const patch = await load.call(this, opts)
        if (seq !== r.seq) return
        r.loaded = true
        setState(this, { viewState: 'ready', errorMessage: '', ...patch })
      } catch (e) {
        if (seq !== r.seq) return
        // A quiet refresh keeps what is shown, unless what is shown is a spinner it superseded.
        if (opts.quiet && viewStateOf(this) !== 'loading') return
        setState(this, { viewState: 'error', errorMessage: errorMessageOf(e) })
      }
    },
    onRetry() {
      void this.reload()
    },
    onPullDownRefresh() {
      void this.reload({ fresh: true }).then(() => wx.stopPullDownRefresh())
    },
  }
  const defaults: Record<string, (this: PageInstance<TData, TMethod>, query: Query) => void> = {
    onLoad(query) {
      onQuery?.call(this, query ?? {})
      void this.reload()
    },
  }
  if (refreshOnShow) {
    defaults.onShow = function onShow(this: PageInstance<TData, TMethod>) {
      if (runs(this).loaded) void this.reload({ quiet: true })
    }
  }
  return Component({ ...rest, data: { ...initialLoadable, ...data }, methods: { ...defaults, ...methods, ...own } } as WechatMiniprogram.Component.TrivialOption)
}

type BooleanKeys<D> = { [K in keyof D]: D[K] extends boolean ? K : never }[keyof D] & string

/**
 * One submit at a time, with its flag in one place: the page's data (which the button's loading
 * state shows). setData changes this.data synchronously, so a double tap finds the flag set.
 * A failure is shown (toast, or a dialog when long) unless `onError` says otherwise.
 */
export async function exclusive<D extends WechatMiniprogram.Component.DataOption>(
  page: { data: D; setData(patch: Partial<D>): void },
  flag: BooleanKeys<D>,
  run: () => Promise<unknown>,
  onError: (e: unknown) => void = toastError,
): Promise<void> {
  if (page.data[flag]) return
  page.setData({ [flag]: true } as Partial<D>)
  try {
    await run()
  } catch (e) {
    onError(e)
  } finally {
    page.setData({ [flag]: false } as Partial<D>)
  }
}
