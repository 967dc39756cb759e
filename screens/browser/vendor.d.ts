/** Untyped engine modules the browser runtime uses. */
declare module 'miniprogram-exparser' {
  const exparser: any // eslint-disable-line @typescript-eslint/no-explicit-any
  export = exparser
}
declare module 'j-component/src/tool/selectorquery' {
  class SelectorQuery {
    constructor(caller: unknown)
    in(caller: unknown): SelectorQuery
  }
  export = SelectorQuery
}
