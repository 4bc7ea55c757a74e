import { z } from "zod";
import {
  createWebhookInput,
  type WebhookEndpoint,
  type WebhookEventType,
} from "@/contracts/webhooks";

/** The "Add endpoint" form: the server's own input, so both refuse the same things alike. */
export const createEndpointFormSchema = createWebhookInput;
export type CreateEndpointFormValues = z.input<typeof createEndpointFormSchema>;

export const CREATE_DEFAULTS: CreateEndpointFormValues = {
  owner: "user",
  url: "",
  description: "",
  eventTypes: [],
};

/** The edit form: every field the server lets a person change, all shown at once. */
export const editEndpointFormSchema = z.object({
  url: createWebhookInput.shape.url,
  description: createWebhookInput.shape.description,
  eventTypes: createWebhookInput.shape.eventTypes,
  enabled: z.boolean(),
});
export type EditEndpointFormValues = z.input<typeof editEndpointFormSchema>;

export function editDefaults(endpoint: WebhookEndpoint): EditEndpointFormValues {
  return {
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: [...endpoint.eventTypes] as WebhookEventType[],
    enabled: endpoint.enabled,
  };
}
