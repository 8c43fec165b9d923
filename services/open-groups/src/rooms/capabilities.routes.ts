// GET /capabilities[?required=a,b]: what this server speaks; 412 when a required one is missing.
import { HttpError } from '../http/errors';
import type { RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';

export function capabilities(requireBlinding: boolean): string[] {
  // `blind` means "blinded ids required"; `blind25` that 25-blinded ids are accepted.
  return [...(requireBlinding ? ['blind'] : []), 'blind25', 'reactions', 'sogs'].sort();
}

export function capabilityRoutes(requireBlinding: boolean): RouteDef[] {
  const caps = capabilities(requireBlinding);
  return [
    {
      method: 'GET',
      pattern: '/capabilities',
      handler: async ({ query }) => {
        const required = (query.get('required') ?? '').split(',').filter(Boolean);
        const missing = required.filter((c) => !caps.includes(c));
        if (missing.length) throw new HttpError(412, 'Missing capabilities', { capabilities: caps, missing });
        return jsonResponse({ capabilities: caps });
      },
    },
  ];
}
