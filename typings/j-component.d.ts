/**
 * j-component (behind miniprogram-simulate) implements triggerPageLifeTime but its index.d.ts
 * leaves it out: component tests use it to run pageLifetimes (show / hide) as the host does.
 */
import 'j-component'

/* eslint-disable @typescript-eslint/no-unused-vars -- merging into the class must repeat its type parameters */

declare module 'j-component' {
  interface Component<
    TData extends WechatMiniprogram.Component.DataOption,
    TProperty extends WechatMiniprogram.Component.PropertyOption,
    TMethod extends Partial<WechatMiniprogram.Component.MethodOption>
  > {
    /** Runs `pageLifetimes[name]` of this component and of every component inside it. */
    triggerPageLifeTime(name: 'show' | 'hide' | 'resize', ...args: unknown[]): void
  }
}
