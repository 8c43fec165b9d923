// The `reactions` dict of a message object (§1.6), read with the message in the same query.

export interface ReactionView {
  index: number;
  count: number;
  reactors?: string[];
  you?: true;
}

/** One emoji on a message as REACTIONS_COLUMN gives it: [emoji, count, first reactors, you]. */
export type ReactionRow = [reaction: string, count: number, reactors: string[], you: boolean];

/**
 * SQL for a `reactions` column on a message row `m`: its emojis in order of first use, each with
 * the count, the first reactors (by reaction time, at most `limitParam` of them) and whether the
 * viewer (`viewerParam`, -1 for nobody) is among them. NULL for a deleted message or none.
 */
export function reactionsColumn(viewerParam: string, limitParam: string): string {
  return `CASE WHEN m.data IS NOT NULL THEN (
      SELECT json_agg(json_build_array(x.reaction, x.n, x.reactors, x.you) ORDER BY x.id)
        FROM (SELECT r.id, r.reaction, count(*) AS n,
                     (array_agg(ru.session_id ORDER BY ur.at, ur."user"))[1:${limitParam}::int] AS reactors,
                     bool_or(ur."user" = ${viewerParam}::bigint) AS you
                FROM reactions r JOIN user_reactions ur ON ur.reaction = r.id JOIN users ru ON ru.id = ur."user"
               WHERE r.message = m.id
               GROUP BY r.id) x) END AS reactions`;
}

/** The dict for one message; `reactorLimit` 0 leaves the reactor lists out. */
export function reactionView(rows: ReactionRow[] | null, reactorLimit: number): Record<string, ReactionView> {
  const dict: Record<string, ReactionView> = {};
  if (!rows) return dict;
  rows.forEach(([reaction, count, reactors, you], index) => {
    const view: ReactionView = { index, count };
    if (reactorLimit > 0) view.reactors = reactors;
    if (you) view.you = true;
    dict[reaction] = view;
  });
  return dict;
}
