/** The database engine as the server uses it (local-cloud/src/database/engine.ts). */
export interface DatabaseLike {
  /** Answers any `database.*` action's reply JSON; never throws. */
  handle(body: Record<string, unknown>): Promise<Record<string, unknown>>
  close(): Promise<void>
  stats(): { collections: Record<string, number> }
}
