/** `GET /v1/accounts` (cursor-paged by domain) and `GET /v1/accounts/{domain}` (with its contacts). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RevopsError } from '../../core/errors.ts';
import type { ServerContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import {
  AccountDetailSchema,
  AccountListQuery,
  AccountPageSchema,
  AccountParams,
  accountView,
} from '../schemas/accounts.ts';
import { errorResponses, iso, isoOrNull } from '../schemas/common.ts';
import { attributeSources } from '../schemas/contactDetail.ts';
import { contactView } from '../schemas/contacts.ts';

/** Contacts listed with an account. */
const ACCOUNT_CONTACTS = 100;

/** Registers the account routes. Does not throw. */
export async function accountRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/accounts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts by domain',
        querystring: AccountListQuery,
        response: Object.assign({ 200: AccountPageSchema }, errorResponses(400, 401, 403, 429)),
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor('accounts', cursor, ['s'] as const)[0];
      const found = await ctx.store.listAccounts(
        after === undefined ? { limit: limit + 1 } : { limit: limit + 1, afterDomain: after },
      );
      const page = found.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(accountView),
        nextCursor:
          found.length > limit && last !== undefined ? encodeCursor('accounts', [last.domain]) : null,
      };
    },
  );

  api.get(
    '/v1/accounts/:ref',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['accounts'],
        summary: 'One account: score roll-up, named-account entry, members and contacts',
        params: AccountParams,
        response: Object.assign({ 200: AccountDetailSchema }, errorResponses(401, 403, 404, 429)),
      },
    },
    async (request) => {
      const ref = request.params.ref.trim().toLowerCase();
      const domain = ref.startsWith('account:') ? ref.slice('account:'.length) : ref;
      const [account] = await ctx.store.transaction((tx) => tx.findAccounts([domain]));
      if (account === undefined)
        throw new RevopsError('account.not_found', `no account \`${domain}\``, {
          hint: 'accounts are known by their registrable domain (northwind.io); GET /v1/accounts lists them',
        });
      const contacts = await ctx.store.searchContacts({ accountDomain: domain, limit: ACCOUNT_CONTACTS });
      return Object.assign(accountView(account), {
        attributeSources: attributeSources(account.attributes),
        members: Object.entries(account.members ?? {})
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([contact, m]) => ({
            contact,
            total: m.total,
            engagement: m.engagement,
            lastActivityAt: isoOrNull(m.lastActivityAt),
            at: iso(m.at),
          })),
        contacts: contacts.map(contactView),
      });
    },
  );
}
