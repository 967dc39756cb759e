/** A `data-*` attribute of the tapped element as text ('' when absent or not a string/number). */
export function datasetText(e: { currentTarget: { dataset: Record<string, unknown> } }, key: string): string {
  const v = e.currentTarget.dataset[key]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}
