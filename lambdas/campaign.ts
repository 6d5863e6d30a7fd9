/** Lambda: consumes the campaign queue (campaign fan-out, clean-up of deleted lists), with partial batch responses. */
import { createCampaignHandler } from '../lib/handlers/campaign-handler.ts';
import { wireCampaign } from '../lib/wiring/campaign.ts';

export const handler = createCampaignHandler(await wireCampaign(process.env));
