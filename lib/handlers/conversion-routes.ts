/**
 * `POST /v1/conversions` (scope `send`): the tenant's site reports a conversion with the
 * attribution token (`mr_cv`) that mailroom added to the link the recipient followed.
 */
import { UnprocessableError } from '../domain/errors.ts';
import { jsonBody } from '../http/request.ts';
import { json } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import { parseConversion, recordConversion, type ConversionDeps } from '../use-cases/track.ts';
import { linkSigner, type PublicLinks } from './public-links.ts';
import * as campaigns from './route-docs/campaigns.ts';

/** What the conversion routes need: the use case's dependencies, less the signer, which comes from the public links. */
export interface ConversionRouteDeps extends Omit<ConversionDeps, 'signer'> {
  publicLinks?: PublicLinks;
}

export function conversionRoutes(deps: ConversionRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/conversions',
      scope: 'send',
      doc: campaigns.recordConversion,
      action: async ({ tenant, request }) => {
        const input = parseConversion(jsonBody(request));
        if (!deps.publicLinks) {
          throw new UnprocessableError(
            'links_not_configured',
            'Conversions need the link-signing key, which is not configured (MAILROOM_LINK_SECRET_ARN or MAILROOM_LINK_SECRET).',
          );
        }
        const conversion = await recordConversion({ ...deps, signer: await linkSigner(deps.publicLinks) }, input, tenant);
        return json(202, {
          message_id: conversion.messageId,
          recipient: conversion.recipient,
          ...(conversion.list && { list: conversion.list }),
          ...(conversion.campaign && { campaign: conversion.campaign }),
          conversion_id: conversion.conversionId,
          ...(conversion.value !== undefined && { value: conversion.value }),
          ...(conversion.currency !== undefined && { currency: conversion.currency }),
        });
      },
    },
  ];
}
