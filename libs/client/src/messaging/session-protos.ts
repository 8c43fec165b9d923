// The Session clients' protobufs (SignalService, proto2), as far as this client reads and writes
// them (client.md 2.2, 2.4). Field numbers must match the real clients'; names are ours.
import * as protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    SessionProtos: {
      nested: {
        WebSocketRequestMessage: {
          fields: {
            verb: { type: 'string', id: 1 },
            path: { type: 'string', id: 2 },
            body: { type: 'bytes', id: 3 },
            headers: { rule: 'repeated', type: 'string', id: 5 },
            requestId: { type: 'uint64', id: 4 },
          },
        },
        WebSocketMessage: {
          fields: {
            type: { type: 'Type', id: 1 },
            request: { type: 'WebSocketRequestMessage', id: 2 },
          },
          nested: { Type: { values: { UNKNOWN: 0, REQUEST: 1, RESPONSE: 2 } } },
        },
        Envelope: {
          fields: {
            type: { rule: 'required', type: 'Type', id: 1 },
            source: { type: 'string', id: 2 },
            timestamp: { rule: 'required', type: 'uint64', id: 5 },
            sourceDevice: { type: 'uint32', id: 7 },
            content: { type: 'bytes', id: 8 },
            proSig: { type: 'bytes', id: 11 },
          },
          nested: { Type: { values: { SESSION_MESSAGE: 6, CLOSED_GROUP_MESSAGE: 7 } } },
        },
        Content: {
          fields: {
            dataMessage: { type: 'DataMessage', id: 1 },
            callMessage: { type: 'CallMessage', id: 3 },
            receiptMessage: { type: 'ReceiptMessage', id: 5 },
            sharedConfigMessage: { type: 'SharedConfigMessage', id: 11 },
            expirationType: { type: 'ExpirationType', id: 12 },
            expirationTimer: { type: 'uint32', id: 13 },
            sigTimestamp: { type: 'uint64', id: 15 },
          },
          nested: { ExpirationType: { values: { UNKNOWN: 0, DELETE_AFTER_READ: 1, DELETE_AFTER_SEND: 2 } } },
        },
        LokiProfile: {
          fields: {
            displayName: { type: 'string', id: 1 },
            profilePicture: { type: 'string', id: 2 },
          },
        },
        AttachmentPointer: {
          fields: {
            deprecatedId: { rule: 'required', type: 'fixed64', id: 1 },
            contentType: { type: 'string', id: 2 },
            key: { type: 'bytes', id: 3 },
            size: { type: 'uint32', id: 4 },
            digest: { type: 'bytes', id: 6 },
            fileName: { type: 'string', id: 7 },
            flags: { type: 'uint32', id: 8 },
            url: { type: 'string', id: 101 },
          },
        },
        DataMessage: {
          fields: {
            body: { type: 'string', id: 1 },
            attachments: { rule: 'repeated', type: 'AttachmentPointer', id: 2 },
            flags: { type: 'uint32', id: 4 },
            profileKey: { type: 'bytes', id: 6 },
            profile: { type: 'LokiProfile', id: 101 },
            syncTarget: { type: 'string', id: 105 },
            groupUpdateMessage: { type: 'GroupUpdateMessage', id: 120 },
          },
          nested: { Flags: { values: { EXPIRATION_TIMER_UPDATE: 2 } } },
        },
        // Groups v2 control messages (groups/group-updates.ts).
        GroupUpdateMessage: {
          fields: {
            inviteMessage: { type: 'GroupUpdateInviteMessage', id: 1 },
            infoChangeMessage: { type: 'GroupUpdateInfoChangeMessage', id: 2 },
            memberChangeMessage: { type: 'GroupUpdateMemberChangeMessage', id: 3 },
            promoteMessage: { type: 'GroupUpdatePromoteMessage', id: 4 },
            memberLeftMessage: { type: 'GroupUpdateMemberLeftMessage', id: 5 },
            inviteResponse: { type: 'GroupUpdateInviteResponseMessage', id: 6 },
            deleteMemberContent: { type: 'GroupUpdateDeleteMemberContentMessage', id: 7 },
            memberLeftNotificationMessage: { type: 'GroupUpdateMemberLeftNotificationMessage', id: 8 },
          },
        },
        GroupUpdateInviteMessage: {
          fields: {
            groupSessionId: { rule: 'required', type: 'string', id: 1 },
            name: { rule: 'required', type: 'string', id: 2 },
            memberAuthData: { rule: 'required', type: 'bytes', id: 3 },
            adminSignature: { rule: 'required', type: 'bytes', id: 4 },
          },
        },
        GroupUpdatePromoteMessage: {
          fields: {
            groupIdentitySeed: { rule: 'required', type: 'bytes', id: 1 },
            name: { rule: 'required', type: 'string', id: 2 },
          },
        },
        GroupUpdateInfoChangeMessage: {
          fields: {
            type: { rule: 'required', type: 'Type', id: 1 },
            updatedName: { type: 'string', id: 2 },
            updatedExpiration: { type: 'uint32', id: 3 },
            adminSignature: { rule: 'required', type: 'bytes', id: 4 },
          },
          nested: { Type: { values: { NAME: 1, AVATAR: 2, DISAPPEARING_MESSAGES: 3 } } },
        },
        GroupUpdateMemberChangeMessage: {
          fields: {
            type: { rule: 'required', type: 'Type', id: 1 },
            memberSessionIds: { rule: 'repeated', type: 'string', id: 2 },
            historyShared: { type: 'bool', id: 3 },
            adminSignature: { rule: 'required', type: 'bytes', id: 4 },
          },
          nested: { Type: { values: { ADDED: 1, REMOVED: 2, PROMOTED: 3 } } },
        },
        GroupUpdateMemberLeftMessage: { fields: {} },
        GroupUpdateMemberLeftNotificationMessage: { fields: {} },
        GroupUpdateInviteResponseMessage: {
          fields: { isApproved: { rule: 'required', type: 'bool', id: 1 } },
        },
        GroupUpdateDeleteMemberContentMessage: {
          fields: {
            memberSessionIds: { rule: 'repeated', type: 'string', id: 1 },
            messageHashes: { rule: 'repeated', type: 'string', id: 2 },
            adminSignature: { type: 'bytes', id: 3 },
          },
        },
        CallMessage: {
          fields: {
            type: { rule: 'required', type: 'Type', id: 1 },
            sdps: { rule: 'repeated', type: 'string', id: 2 },
            sdpMLineIndexes: { rule: 'repeated', type: 'uint32', id: 3 },
            sdpMids: { rule: 'repeated', type: 'string', id: 4 },
            uuid: { rule: 'required', type: 'string', id: 5 },
          },
          nested: { Type: { values: { PRE_OFFER: 6, OFFER: 1, ANSWER: 2, PROVISIONAL_ANSWER: 3, ICE_CANDIDATES: 4, END_CALL: 5 } } },
        },
        // libsession still wraps the account's config messages in this for old clients (config/).
        SharedConfigMessage: {
          fields: {
            kind: { rule: 'required', type: 'Kind', id: 1 },
            seqno: { rule: 'required', type: 'int64', id: 2 },
            data: { rule: 'required', type: 'bytes', id: 3 },
          },
          nested: { Kind: { values: { USER_PROFILE: 1, CONTACTS: 2, CONVO_INFO_VOLATILE: 3, USER_GROUPS: 4 } } },
        },
        ReceiptMessage: {
          fields: {
            type: { rule: 'required', type: 'Type', id: 1 },
            timestamp: { rule: 'repeated', type: 'uint64', id: 2 },
          },
          nested: { Type: { values: { DELIVERY: 0, READ: 1 } } },
        },
      },
    },
  },
});

const lookup = (name: string) => root.lookupType(`SessionProtos.${name}`);

export const WebSocketMessage = lookup('WebSocketMessage');
export const Envelope = lookup('Envelope');
export const Content = lookup('Content');
export const DataMessage = lookup('DataMessage');

export const ENVELOPE_SESSION_MESSAGE = 6;
export const ENVELOPE_CLOSED_GROUP_MESSAGE = 7;
export const WEBSOCKET_REQUEST = 1;
export const EXPIRATION_TYPE = { none: 0, afterRead: 1, afterSend: 2 } as const;
export const DATA_FLAG_EXPIRATION_TIMER_UPDATE = 2;

export interface AttachmentPointerFields {
  deprecatedId: number;
  contentType?: string;
  key?: Uint8Array;
  size?: number;
  digest?: Uint8Array;
  fileName?: string;
  url?: string;
}

export interface DataMessageFields {
  body?: string;
  attachments?: AttachmentPointerFields[];
  flags?: number;
  profile?: { displayName?: string };
  syncTarget?: string;
  groupUpdateMessage?: GroupUpdateFields;
}

/** GroupUpdateInfoChangeMessage.Type and GroupUpdateMemberChangeMessage.Type. */
export const GROUP_INFO_CHANGE = { name: 1, avatar: 2, disappearingMessages: 3 } as const;
export const GROUP_MEMBER_CHANGE = { added: 1, removed: 2, promoted: 3 } as const;

/** One of the groups v2 control messages (exactly one field set). */
export interface GroupUpdateFields {
  inviteMessage?: { groupSessionId: string; name: string; memberAuthData: Uint8Array; adminSignature: Uint8Array };
  infoChangeMessage?: { type: number; updatedName?: string; updatedExpiration?: number; adminSignature: Uint8Array };
  memberChangeMessage?: { type: number; memberSessionIds?: string[]; historyShared?: boolean; adminSignature: Uint8Array };
  promoteMessage?: { groupIdentitySeed: Uint8Array; name: string };
  memberLeftMessage?: Record<string, never>;
  inviteResponse?: { isApproved: boolean };
  deleteMemberContent?: { memberSessionIds?: string[]; messageHashes?: string[]; adminSignature?: Uint8Array };
  memberLeftNotificationMessage?: Record<string, never>;
}

/** CallMessage.Type (client.md 6). */
export const CALL_TYPE = { PRE_OFFER: 6, OFFER: 1, ANSWER: 2, PROVISIONAL_ANSWER: 3, ICE_CANDIDATES: 4, END_CALL: 5 } as const;
export type CallType = (typeof CALL_TYPE)[keyof typeof CALL_TYPE];

export interface CallMessageFields {
  type: CallType;
  /** One SDP for OFFER/ANSWER; one candidate line each for ICE_CANDIDATES. */
  sdps?: string[];
  sdpMLineIndexes?: number[];
  sdpMids?: string[];
  /** Names the call; every message of one call carries the same uuid. */
  uuid: string;
}

export interface ContentFields {
  dataMessage?: DataMessageFields;
  callMessage?: CallMessageFields;
  expirationType?: number;
  expirationTimer?: number;
  sigTimestamp?: number;
}
