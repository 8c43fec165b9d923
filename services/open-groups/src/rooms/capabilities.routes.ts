// GET /capabilities[?required=a,b]: what this server speaks; 412 when a required one is missing.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jsonReply } from '@starling/platform';
import { Router } from '../http/router';
import { SETTINGS, type ServerSettings } from '../settings';

export function capabilities(requireBlinding: boolean): string[] {
  // `blind` means "blinded ids required"; `blind25` that 25-blinded ids are accepted.
  return [...(requireBlinding ? ['blind'] : []), 'blind25', 'reactions', 'sogs'].sort();
}

@Injectable()
export class CapabilityRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(SETTINGS) private readonly settings: ServerSettings,
  ) {}

  onModuleInit(): void {
    const caps = capabilities(this.settings.requireBlinding);
    this.router.add({
      method: 'GET',
      pattern: '/capabilities',
      handler: async ({ query }) => {
        const required = (query.get('required') ?? '').split(',').filter(Boolean);
        const missing = required.filter((c) => !caps.includes(c));
        if (missing.length) return jsonReply(412, { capabilities: caps, missing });
        return jsonReply(200, { capabilities: caps });
      },
    });
  }
}
