import type { CampaignDto, CampaignInput } from '@tanfang/domain';
import { request } from '../../api';

/** States of a campaign, as `GET /api/campaigns?state=` filters them. */
export type CampaignState = CampaignDto['status'];

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of campaigns (专项探访). */
export const campaignsApi = {
  /** Campaigns of a region (default: the jurisdiction) and those above it. */
  listCampaigns: (params: { region?: string; state?: CampaignState }) =>
    request<CampaignDto[]>('GET', '/api/campaigns', { query: { ...params } }),
  campaign: (campaignId: string) => request<CampaignDto>('GET', `/api/campaigns/${id(campaignId)}`),
  createCampaign: (input: CampaignInput) =>
    request<CampaignDto>('POST', '/api/campaigns', { body: input }),
  /** Cancels a campaign that has not ended, with an optional note. */
  cancelCampaign: (campaignId: string, note?: string) =>
    request<CampaignDto>('POST', `/api/campaigns/${id(campaignId)}/cancel`, {
      body: note ? { note } : {},
    }),
};
