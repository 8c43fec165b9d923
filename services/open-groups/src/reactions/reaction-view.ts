// The `reactions` dict of a message object (§1.6).
import type { Queryable } from '@starling/platform';

export interface ReactionView {
  index: number;
  count: number;
  reactors?: string[];
  you?: true;
}

/** Reaction dicts for many messages at once; every requested id gets an entry ({} when none). */
export async function reactionsFor(
  q: Queryable,
  messageIds: number[],
  viewerId: number | null,
  reactorLimit: number,
): Promise<Map<number, Record<string, ReactionView>>> {
  const out = new Map<number, Record<string, ReactionView>>(messageIds.map((id) => [id, {}]));
  if (!messageIds.length) return out;
  const res = await q.query<{ message: string; reaction: string; session_id: string; user: string }>(
    `SELECT r.message, r.reaction, u.session_id, ur."user"
       FROM reactions r
       JOIN user_reactions ur ON ur.reaction = r.id
       JOIN users u ON u.id = ur."user"
      WHERE r.message = ANY($1::bigint[])
      ORDER BY r.message, r.id, ur.at, ur."user"`,
    [messageIds],
  );
  for (const row of res.rows) {
    const dict = out.get(Number(row.message))!;
    let view = dict[row.reaction];
    if (!view) {
      view = { index: Object.keys(dict).length, count: 0 };
      if (reactorLimit > 0) view.reactors = [];
      dict[row.reaction] = view;
    }
    view.count++;
    if (view.reactors && view.reactors.length < reactorLimit) view.reactors.push(row.session_id);
    if (viewerId !== null && Number(row.user) === viewerId) view.you = true;
  }
  return out;
}
