interface Reloadable {
  load(): Promise<unknown>
}

/** Pull-to-refresh and the state-view's 重新加载 both run the page's own load(). */
export const reloadMethods = {
  onPullDownRefresh(this: Reloadable): void {
    void this.load().then(() => wx.stopPullDownRefresh())
  },
  onRetry(this: Reloadable): void {
    void this.load()
  },
}
