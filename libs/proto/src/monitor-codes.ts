/**
 * Why a storage node refused a monitor subscription: the `errcode` of the Monitor stream's
 * MonitorResult (0 is success), upstream's MonitorErrorCode values.
 */
export const MonitorErrorCode = {
  BAD_ARGS: 1,
  BAD_PUBKEY: 2,
  BAD_NS: 3,
  BAD_TS: 4,
  BAD_SIG: 5,
  WRONG_SWARM: 6,
} as const;
