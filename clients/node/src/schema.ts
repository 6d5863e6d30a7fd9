/**
 * The mailroom API's types, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run `npm run client:generate`.
 */

export interface paths {
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The activity feed: the tenant’s messages, newest first, filtered
         * @description Filters combine: a message is listed when it matches all of them. Each is read from a key or an index, never a scan; a page reads at most 1,000 messages, so a page may come back short, even empty, with a `next_cursor`: keep paging until it is `null`. A cursor belongs to its listing (tenant, filters and times). The indexes follow the messages within a second or so. An unknown parameter is a `400`, so that a misspelt filter never lists everything.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listMessages"];
        put?: never;
        /**
         * Send a message
         * @description Validates the message, drops recipients on the suppression list (listed in `rejected`), stores it and queues it for delivery. The content is `subject` with `text`, `html` or both, or a stored `template` and its data. Up to 100 files go in `attachments`: inline in base64 within the body’s limit, or uploaded first (`POST /v1/attachments`). With `send_at` ahead, the message is `scheduled` and waits until then; `POST /v1/messages/{id}/cancel` cancels it meanwhile.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send up to 100 messages
         * @description Each message is handled as on its own (attachments, templates and `send_at` included); one result per message, in order, with the status and error it would have had alone. A bad message does not stop the others.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["sendBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a message, its recipients and events
         * @description A scheduled message reads `scheduled` until its `send_at`. Its files are listed, not their bytes.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getMessage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read what a message says: subject, text, html, headers and files
         * @description The content as the sender gave it: the html before open and click tracking rewrote it, the custom headers, and the files’ names and sizes (not their bytes). It is kept for the retention period, as the message is; show the html only in a sandboxed frame, since it is the sender’s markup.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getMessageContent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a scheduled or queued message
         * @description A message still `scheduled`, or `queued` and not yet taken by delivery, becomes `canceled` and is never sent; a `canceled` event is recorded per recipient. Canceling it again answers the same.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["cancelMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List suppressed addresses
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listSuppressions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suppressions/{email}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a suppressed address
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getSuppression"];
        /**
         * Suppress an address
         * @description Needs an API key with the `send` scope (or `admin`).
         */
        put: operations["putSuppression"];
        post?: never;
        /**
         * Remove an address from the suppression list
         * @description Needs an API key with the `send` scope (or `admin`).
         */
        delete: operations["deleteSuppression"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Counters and rates over a range of days
         * @description By day (for all mail, or the series of one tag or one sending domain), or summed over the range by tag or by sending domain. Every event is counted once.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Daily counters over a range of days
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getDailyReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a downloadable CSV report
         * @description A job: poll it with `GET /v1/exports/{id}` until it is `done`, then download `download_url`.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        post: operations["createExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an export job, with its download link once done
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/attachments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make an upload for a file too large to send inline
         * @description PUT exactly `size` bytes (at most 28 MiB) to the `upload_url` within 15 minutes, then send the file with `"attachments": [{"attachment_id": id}]`, in as many messages as you like while the retention lasts. An upload belongs to the account that made it.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["createUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the lists, oldest first
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listLists"];
        put?: never;
        /**
         * Create a list
         * @description Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["createList"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a list
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getList"];
        put?: never;
        post?: never;
        /**
         * Delete a list and its contacts
         * @description The list and its contacts are not found from then on; the contacts are removed in the background.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        delete: operations["deleteList"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists/{id}/contacts/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add or replace many contacts
         * @description At most 50000 rows, read and checked whole before anything is kept. Every row is accounted for; bad rows never stop good ones. Running an import again is safe. At most 1000 rows are written within the request (200, the result); more, or any import with `Prefer: respond-async`, run as a job (202, its `Location`), whose result `GET /v1/lists/{id}/contacts/imports/{importId}` gives once completed.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["importContacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists/{id}/contacts/imports/{importId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow a contact import job
         * @description How far the job got; once `completed`, also `failed`, `unsubscribed` and `duplicates`: with `imported` and `failed_count`, what a small import answers. A `failed` job says why in `error`; the contacts written stay. Jobs are kept 7 days.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getImport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists/{id}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a list’s contacts, in address order
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listContacts"];
        put?: never;
        /**
         * Add a contact, or replace the one with that address
         * @description Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["addContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists/{id}/contacts/{email}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a contact
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getContact"];
        put?: never;
        post?: never;
        /**
         * Remove a contact from a list
         * @description Needs an API key with the `send` scope (or `admin`).
         */
        delete: operations["removeContact"];
        options?: never;
        head?: never;
        /**
         * Change a contact’s attributes or status
         * @description `attributes` are merged into the contact’s (`null` removes one).
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        patch: operations["updateContact"];
        trace?: never;
    };
    "/v1/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List campaigns, newest first, without their templates
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listCampaigns"];
        put?: never;
        /**
         * Send a campaign to a list
         * @description The templates (Handlebars) are compiled now, given as `subject` with `html`, `text` or both, or copied from a stored template named by `template_id` (the campaign records its id and version); the fan-out runs in the background, one message per subscribed contact. Every message carries a signed unsubscribe link.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["createCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a campaign and its progress
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getCampaign"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The figures of a campaign’s messages over a range of days
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getCampaignStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The clicks per link of a campaign’s messages, most clicked first
         * @description Counts the clicks on tracked links (campaigns with click tracking) since the campaign was sent: every click, and the first click of each recipient on each link. Figures appear as the events are counted, seconds after the clicks.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getCampaignLinks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lists/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The figures of a list’s messages over a range of days
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getListStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the templates, oldest first, without their bodies
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listTemplates"];
        put?: never;
        /**
         * Store a template
         * @description Each part is compiled now. Parts are Handlebars, as in campaigns: values are HTML-escaped in `html` (not in `subject` or `text`), a missing name renders empty, nothing is read from prototypes. Sends give `"template": {"id", "data"}`, campaigns `template_id`.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["createTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a template and its parts
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getTemplate"];
        /**
         * Replace a template as a whole: the next version
         * @description Name and parts are replaced (a part left out is removed) and the version goes up by 1. Messages and campaigns made from it keep what they were made with.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        put: operations["replaceTemplate"];
        post?: never;
        /**
         * Delete a template
         * @description Messages and campaigns made from it keep their own copy of its parts.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{id}/render": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview what a send with this data would carry
         * @description Changes nothing: a `read` key may render. Parts are Handlebars, as in campaigns: values are HTML-escaped in `html` (not in `subject` or `text`), a missing name renders empty, nothing is read from prototypes.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        post: operations["renderTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a conversion
         * @description Your site reports a conversion with the attribution token (`mr_cv`) mailroom added to the link the recipient followed. The same `id` counts once.
         *
         *     Needs an API key with the `send` scope (or `admin`).
         */
        post: operations["recordConversion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the sending domains, in name order (as last checked)
         * @description Needs an API key with the `admin` scope (or `admin`).
         */
        get: operations["listDomains"];
        put?: never;
        /**
         * Add a sending domain: the DNS records to publish
         * @description Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["registerDomain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Look the domain’s records up now, and read the outcome
         * @description Needs an API key with the `admin` scope (or `admin`).
         */
        get: operations["checkDomain"];
        put?: never;
        post?: never;
        /**
         * Remove a sending domain
         * @description Needs an API key with the `admin` scope (or `admin`).
         */
        delete: operations["deleteDomain"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tenants, in id order
         * @description The operator’s: an `admin` key of the operator tenant.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        get: operations["listTenants"];
        put?: never;
        /**
         * Create a tenant
         * @description The operator’s: an `admin` key of the operator tenant.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a tenant
         * @description The operator, or the tenant’s own `admin` key.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a tenant’s name, relay or IP pool
         * @description The operator’s: an `admin` key of the operator tenant. An SMTP relay’s URL is kept as a secret and shown with its password masked.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/v1/tenants/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a tenant’s sending
         * @description The operator’s: an `admin` key of the operator tenant. Its sends are refused with `403 sending_paused` until it is resumed.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["pauseTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a tenant’s sending
         * @description The operator’s: an `admin` key of the operator tenant.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["resumeTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a tenant’s API keys, revoked ones included
         * @description The operator, or the tenant’s own `admin` key.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Issue an API key
         * @description The operator, or the tenant’s own `admin` key. The key is shown once; mailroom keeps its hash.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description The operator, or the tenant’s own `admin` key. It answers `401` from the next request on.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}/smtp-credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a tenant’s SMTP credentials, revoked ones included
         * @description The operator, or the tenant’s own `admin` key.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        get: operations["listSmtpCredentials"];
        put?: never;
        /**
         * Issue an SMTP credential for the SMTP service
         * @description The operator, or the tenant’s own `admin` key. The password is shown once; mailroom keeps its hash.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["createSmtpCredential"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenants/{id}/smtp-credentials/{username}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an SMTP credential
         * @description The operator, or the tenant’s own `admin` key.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        delete: operations["revokeSmtpCredential"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling key: its tenant and scopes
         * @description What the key may do, for a client (such as the console) that shows only what it may. Any valid key may ask.
         *
         *     Needs an API key, of any scope.
         */
        get: operations["getCaller"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the endpoints, oldest first
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Register an endpoint
         * @description Answers the signing secret, shown this once. Each request is signed to the Standard Webhooks specification (`webhook-id`, `webhook-timestamp`, `webhook-signature`); the body is the notification document. A tenant has at most 10 endpoints unless configured otherwise.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an endpoint
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete an endpoint
         * @description Tries still queued for it are dropped; its delivery log expires.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint’s URL, event types, description or whether it is enabled
         * @description Needs an API key with the `admin` scope (or `admin`).
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event now
         * @description Sent whatever the endpoint subscribed to, enabled or not; the answer is the delivery's outcome (not retried). Each request is signed to the Standard Webhooks specification (`webhook-id`, `webhook-timestamp`, `webhook-signature`); the body is the notification document.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a new signing secret
         * @description For 24 hours deliveries carry two signatures, by the new and by the previous secret.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an endpoint’s recent deliveries, newest first
         * @description Deliveries stay in the log for 14 days.
         *
         *     Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again now
         * @description With the same `webhook-id` and body. A delivery still retrying keeps its next scheduled try should this one fail.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound-routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the routes, oldest first
         * @description Needs an API key with the `read` scope (or `admin`).
         */
        get: operations["listInboundRoutes"];
        put?: never;
        /**
         * Route an address or a domain to a webhook endpoint
         * @description Mail arriving at the address (or anywhere under the domain) is parsed and delivered to the endpoint as an `inbound.received` event: from, to, subject, text, html, headers, attachments as download links, and the spam, virus, SPF, DKIM and DMARC verdicts; signed and retried like every webhook. The domain’s MX must point at mailroom’s inbound service.
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        post: operations["createInboundRoute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbound-routes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a route
         * @description Mail arriving there afterwards is refused (`550`).
         *
         *     Needs an API key with the `admin` scope (or `admin`).
         */
        delete: operations["deleteInboundRoute"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document: the API in OpenAPI 3.1
         * @description No API key is needed.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcceptedMessage: {
            /** @description the message id: `GET /v1/messages/{id}` */
            id: string;
            /**
             * @description `scheduled` when its `send_at` lies ahead
             * @enum {string}
             */
            status: "queued" | "scheduled";
            /** @description when a scheduled message is to be sent */
            send_at?: components["schemas"]["Timestamp"];
            /** @description recipients dropped because they are on the suppression list */
            rejected: {
                email: string;
                /** @constant */
                reason: "suppressed";
            }[];
        };
        ApiKey: {
            /** @description the first 12 hex characters of its hash */
            id: string;
            prefix: string;
            scopes: ("send" | "read" | "admin")[];
            description?: string;
            created_at: components["schemas"]["Timestamp"];
            revoked_at: components["schemas"]["Timestamp"] | null;
        };
        ApiKeyInput: {
            scopes: ("send" | "read" | "admin")[];
            description?: string;
        };
        ApiKeyPage: {
            data: components["schemas"]["ApiKey"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        BatchRequest: {
            messages: components["schemas"]["SendRequest"][];
        };
        BatchResult: {
            results: ({
                /** @description the message id: `GET /v1/messages/{id}` */
                id: string;
                /**
                 * @description `scheduled` when its `send_at` lies ahead
                 * @enum {string}
                 */
                status: "queued" | "scheduled";
                /** @description when a scheduled message is to be sent */
                send_at?: components["schemas"]["Timestamp"];
                /** @description recipients dropped because they are on the suppression list */
                rejected: {
                    email: string;
                    /** @constant */
                    reason: "suppressed";
                }[];
                index: number;
                /** @constant */
                status_code: 202;
            } | {
                index: number;
                /** @description the status this message would have had on its own */
                status_code: number;
                error: components["schemas"]["ErrorBody"];
            })[];
        };
        Caller: {
            /** @description the tenant the key belongs to */
            tenant: string;
            /** @description the id listed by `GET /v1/tenants/{id}/keys` */
            key_id: string | null;
            /** @description `admin` may do everything the others may */
            scopes: ("send" | "read" | "admin")[];
            /** @description whether the key is an `admin` key of the operator tenant, which manages every tenant */
            operator: boolean;
        };
        Campaign: {
            id: string;
            list_id: string;
            name?: string;
            /** @enum {string} */
            status: "sending" | "sent" | "failed";
            from: string;
            reply_to?: string[];
            /** @description a template */
            subject: string;
            /** @description the stored template (`template_id`) the parts were copied from */
            template?: components["schemas"]["TemplateVersion"];
            html?: string;
            text?: string;
            tags: {
                [key: string]: string;
            };
            tracking: {
                opens: boolean;
                clicks: boolean;
            };
            progress: {
                /** @description contacts read */
                contacts: number;
                /** @description messages created and handed to delivery */
                queued: number;
                skipped_unsubscribed: number;
                skipped_suppressed: number;
                /** @description contacts whose message could not be built */
                failed: number;
            };
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            finished_at?: components["schemas"]["Timestamp"];
            /** @description why the fan-out failed */
            error?: string;
        };
        CampaignLinks: {
            campaign_id: string;
            data: {
                /** @description the link as the campaign’s messages had it, before click tracking rewrote it */
                url: string;
                /** @description every click, machines’ included */
                clicks: number;
                /** @description recipients who clicked it, each counted once */
                unique_clicks: number;
            }[];
            /** @description links clicked at least once; `data` holds the first `limit` */
            total_links: number;
        };
        CampaignPage: {
            data: components["schemas"]["Campaign"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        CampaignRequest: {
            list_id: string;
            name?: string;
            from: string;
            reply_to?: string | string[];
            subject?: string;
            html?: string;
            text?: string;
            template_id?: string;
            tags?: {
                [key: string]: string;
            };
            tracking?: {
                opens?: boolean;
                clicks?: boolean;
            };
        };
        CampaignStats: {
            campaign_id: string;
            list_id: string;
            fanout: {
                /** @enum {string} */
                status: "sending" | "sent" | "failed";
                contacts: number;
                queued: number;
                skipped_unsubscribed: number;
                skipped_suppressed: number;
                failed: number;
            };
            from: components["schemas"]["Day"];
            to: components["schemas"]["Day"];
            requested: number;
            rejected: number;
            canceled: number;
            sent: number;
            delivered: number;
            deferred: number;
            bounced: number;
            bounced_hard: number;
            bounced_soft: number;
            complained: number;
            failed: number;
            opened: number;
            opened_unique: number;
            opened_machine: number;
            clicked: number;
            clicked_unique: number;
            clicked_machine: number;
            converted: number;
            unsubscribed: number;
            /** @description conversion values summed by ISO 4217 currency */
            converted_value: {
                [key: string]: number;
            };
            rates: {
                delivery_rate: number | null;
                bounce_rate: number | null;
                complaint_rate: number | null;
                open_rate: number | null;
                click_rate: number | null;
                unsubscribe_rate: number | null;
                conversion_rate: number | null;
            };
        };
        Contact: {
            email: string;
            /**
             * @description `unsubscribed` also when the person unsubscribed through a link
             * @enum {string}
             */
            status: "subscribed" | "unsubscribed";
            /** @description when the person unsubscribed through a link */
            unsubscribed_at?: components["schemas"]["Timestamp"];
            /**
             * @description from this list, or from all marketing mail
             * @enum {string}
             */
            unsubscribe_scope?: "list" | "marketing";
            attributes: {
                [key: string]: string | number | boolean | null;
            };
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        ContactImport: {
            contacts: components["schemas"]["ContactInput"][];
        };
        ContactInput: {
            email: string;
            attributes?: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            status?: "subscribed" | "unsubscribed";
        };
        ContactPage: {
            data: components["schemas"]["Contact"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        ContactPatch: {
            email?: string;
            attributes?: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            status?: "subscribed" | "unsubscribed";
        };
        Conversion: {
            message_id: string;
            recipient: string;
            list?: string;
            campaign?: string;
            conversion_id: string;
            value?: number;
            currency?: string;
        };
        ConversionRequest: {
            token: string;
            value?: number;
            currency?: string;
            id?: string;
        };
        DailyReport: {
            from: components["schemas"]["Day"];
            to: components["schemas"]["Day"];
            days: {
                requested: number;
                rejected: number;
                canceled: number;
                sent: number;
                delivered: number;
                deferred: number;
                bounced: number;
                bounced_hard: number;
                bounced_soft: number;
                complained: number;
                failed: number;
                opened: number;
                opened_unique: number;
                opened_machine: number;
                clicked: number;
                clicked_unique: number;
                clicked_machine: number;
                converted: number;
                unsubscribed: number;
                /** @description conversion values summed by ISO 4217 currency */
                converted_value?: {
                    [key: string]: number;
                };
                day: components["schemas"]["Day"];
            }[];
            totals: {
                requested: number;
                rejected: number;
                canceled: number;
                sent: number;
                delivered: number;
                deferred: number;
                bounced: number;
                bounced_hard: number;
                bounced_soft: number;
                complained: number;
                failed: number;
                opened: number;
                opened_unique: number;
                opened_machine: number;
                clicked: number;
                clicked_unique: number;
                clicked_machine: number;
                converted: number;
                unsubscribed: number;
                /** @description conversion values summed by ISO 4217 currency */
                converted_value?: {
                    [key: string]: number;
                };
            };
        };
        /**
         * Format: date
         * @description a UTC day, YYYY-MM-DD
         */
        Day: string;
        DnsRecord: {
            /** @enum {string} */
            type: "TXT" | "CNAME" | "MX";
            name: string;
            /** @description TXT text, CNAME target or MX exchange */
            value: string;
            /** @description MX preference */
            priority?: number;
            /** @enum {string} */
            purpose: "dkim" | "spf" | "dmarc" | "mail_from" | "return_path";
            /** @description whether verification depends on it */
            required: boolean;
            /** @enum {string} */
            status?: "verified" | "missing" | "mismatch" | "error";
            /** @description what the lookup found at the name */
            found?: string[];
            /** @description why the record could not be checked */
            error?: string;
        };
        Domain: {
            name: string;
            /**
             * @description dkim: mailroom signs with its own key; ses: Amazon SES Easy DKIM
             * @enum {string}
             */
            mode: "dkim" | "ses";
            /** @enum {string} */
            status: "verified" | "pending";
            verified: boolean;
            verified_at: components["schemas"]["Timestamp"] | null;
            dkim_selector?: string;
            records: components["schemas"]["DnsRecord"][];
            checked_at: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
            guidance: string[];
        };
        DomainInput: {
            /** @description the domain, e.g. shop.example; an internationalised name is stored as punycode */
            name: string;
        };
        DomainPage: {
            data: components["schemas"]["Domain"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        ErrorBody: {
            /** @description stable, machine-readable: `invalid_request`, `not_found`, `rate_limited`… */
            code: string;
            /** @description for people; safe to show */
            message: string;
            /** @description `invalid_request`: a list of FieldProblem; other codes: an object that names what is concerned */
            details?: unknown;
        };
        ErrorDocument: {
            error: components["schemas"]["ErrorBody"];
        };
        EventDetail: {
            /** @description smtp, ses or capture */
            relay?: string;
            answer?: components["schemas"]["RelayAnswer"];
            /** @enum {string} */
            bounce_type?: "hard" | "soft";
            reason?: string;
            retry_at?: components["schemas"]["Timestamp"];
            /** @description `scheduled`: when the message is to be sent */
            send_at?: components["schemas"]["Timestamp"];
            /** @enum {string} */
            category?: "no_such_mailbox" | "mailbox_full" | "domain_not_found" | "blocked_as_spam" | "policy" | "message_too_large" | "rate_limited" | "relay_unreachable" | "other";
            explanation?: string;
            diagnostic?: string;
            ses_message_id?: string;
            link?: string;
            user_agent?: string;
            ip_address?: string;
            complaint_feedback_type?: string;
            expiration_time?: string;
        };
        Export: {
            id: string;
            /** @enum {string} */
            type: "sends" | "errors";
            from: components["schemas"]["Day"];
            to: components["schemas"]["Day"];
            /** @enum {string} */
            status: "queued" | "running" | "done" | "failed";
            row_count: number;
            created_at: components["schemas"]["Timestamp"];
            started_at?: components["schemas"]["Timestamp"];
            finished_at?: components["schemas"]["Timestamp"];
            /**
             * Format: uri
             * @description the CSV file; a fresh link on every read, valid for an hour; no API key needed
             */
            download_url?: string;
            /** @description when download_url stops working */
            expires_at?: components["schemas"]["Timestamp"];
        };
        ExportQueued: {
            id: string;
            /** @constant */
            status: "queued";
        };
        ExportRequest: {
            /** @enum {string} */
            type: "sends" | "errors";
            /** @description a UTC day, YYYY-MM-DD; both days included */
            from: string;
            /** @description a UTC day, YYYY-MM-DD; both days included */
            to: string;
        };
        FieldProblem: {
            /** @description path of the field: `to[1]`, `headers.X-Campaign`, `(body)` for the whole body */
            field: string;
            /** @description what is wrong with it, e.g. "is required", "at most 50 recipients" */
            message: string;
        };
        ImportJob: {
            /** @description `GET /v1/lists/{id}/contacts/imports/{import_id}` */
            id: string;
            list_id: string;
            /**
             * @description `queued` until a run starts it, `running` while contacts are written, then `completed` or `failed`
             * @enum {string}
             */
            state: "queued" | "running" | "completed" | "failed";
            /** @description rows in the body */
            rows_total: number;
            /** @description rows accounted for so far: bad and superseded rows, and the rows of the contacts written */
            rows_done: number;
            /** @description contacts written so far */
            imported: number;
            /** @description bad rows (known once the job has started) */
            failed_count: number;
            /** @description once completed: the first 10,000 rows not imported, in row order */
            failed?: {
                /** @description 1 for the first contact */
                row: number;
                /** @description CSV: the line of the file the row starts on */
                line?: number;
                email?: string;
                errors: components["schemas"]["FieldProblem"][];
                errors_omitted?: number;
            }[];
            /** @description addresses written whose owner unsubscribed: they stay unsubscribed */
            unsubscribed?: string[];
            /** @description rows superseded by a later row for the same address */
            duplicates?: {
                row: number;
                email: string;
                kept_row: number;
            }[];
            /** @description why a `failed` job failed: its list was deleted while it ran, or mailroom gave up; the contacts written stay */
            error?: {
                /** @enum {string} */
                code: "list_not_found" | "import_failed";
                message: string;
            };
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            started_at?: components["schemas"]["Timestamp"];
            completed_at?: components["schemas"]["Timestamp"];
            /** @description after this the job is not found */
            expires_at: components["schemas"]["Timestamp"];
        };
        ImportResult: {
            /** @description addresses written (added or replaced) */
            imported: number;
            /** @description rows not imported, all of them */
            failed_count: number;
            /** @description the first 10,000 rows not imported, in row order */
            failed: {
                /** @description 1 for the first contact */
                row: number;
                /** @description CSV: the line of the file the row starts on */
                line?: number;
                email?: string;
                errors: components["schemas"]["FieldProblem"][];
                errors_omitted?: number;
            }[];
            /** @description addresses written whose owner unsubscribed: they stay unsubscribed */
            unsubscribed: string[];
            /** @description rows superseded by a later row for the same address */
            duplicates: {
                row: number;
                email: string;
                kept_row: number;
            }[];
        };
        InboundRoute: {
            id: string;
            /** @description the address, or the domain (every address under it), whose mail is routed */
            match: string;
            /** @description the endpoint that receives its `inbound.received` events */
            webhook_id: string;
            created_at: components["schemas"]["Timestamp"];
        };
        InboundRouteInput: {
            /** @description an address (`support@in.acme.example`) or a domain (`in.acme.example`: every address under it) */
            match: string;
            /** @description the webhook endpoint that receives `inbound.received` events */
            webhook_id: string;
        };
        InboundRoutePage: {
            data: components["schemas"]["InboundRoute"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        List: {
            id: string;
            name: string;
            description?: string;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        ListInput: {
            name: string;
            description?: string;
        };
        ListPage: {
            data: components["schemas"]["List"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        ListStats: {
            list_id: string;
            from: components["schemas"]["Day"];
            to: components["schemas"]["Day"];
            requested: number;
            rejected: number;
            canceled: number;
            sent: number;
            delivered: number;
            deferred: number;
            bounced: number;
            bounced_hard: number;
            bounced_soft: number;
            complained: number;
            failed: number;
            opened: number;
            opened_unique: number;
            opened_machine: number;
            clicked: number;
            clicked_unique: number;
            clicked_machine: number;
            converted: number;
            unsubscribed: number;
            /** @description conversion values summed by ISO 4217 currency */
            converted_value: {
                [key: string]: number;
            };
            rates: {
                delivery_rate: number | null;
                bounce_rate: number | null;
                complaint_rate: number | null;
                open_rate: number | null;
                click_rate: number | null;
                unsubscribe_rate: number | null;
                conversion_rate: number | null;
            };
        };
        Message: {
            id: string;
            status: components["schemas"]["MessageStatus"];
            /** @description a scheduled send: not sent before this time */
            send_at?: components["schemas"]["Timestamp"];
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            /** @description the Message-ID header of the mail */
            message_id_header: string;
            from: string;
            to: string[];
            cc: string[];
            bcc: string[];
            subject: string;
            /** @description the stored template the subject and body were rendered from */
            template?: components["schemas"]["TemplateVersion"];
            tags: {
                [key: string]: string;
            };
            metadata: {
                [key: string]: string | number | boolean | null;
            };
            /** @description its files, in the order given; absent when none */
            attachments?: components["schemas"]["MessageAttachment"][];
            attempts: number;
            recipients: {
                email: string;
                /** @enum {string} */
                kind: "to" | "cc" | "bcc";
                status: components["schemas"]["MessageStatus"];
                attempts: number;
                last_answer?: components["schemas"]["RelayAnswer"];
            }[];
            /** @description in time order */
            events: {
                /** @enum {string} */
                type: "queued" | "scheduled" | "rejected" | "canceled" | "sent" | "deferred" | "delivered" | "bounced" | "complained" | "failed" | "opened" | "clicked" | "converted" | "unsubscribed";
                at: components["schemas"]["Timestamp"];
                recipient: string;
                attempt: number;
                detail: components["schemas"]["EventDetail"];
            }[];
        };
        MessageAttachment: {
            filename: string;
            content_type: string;
            /** @description bytes, decoded */
            size: number;
            /** @enum {string} */
            disposition: "attachment" | "inline";
            /** @description an inline part the html refers to as `cid:<content_id>` */
            content_id?: string;
        };
        MessageContent: {
            id: string;
            subject: string;
            /** @description the text part; absent when the message has none */
            text?: string;
            /** @description the html part as the sender gave it, before tracking rewrote its links; absent when none */
            html?: string;
            /** @description the custom headers given at send, names as given */
            headers: {
                [key: string]: string;
            };
            /** @description its files, in the order given: names and sizes, not their bytes */
            attachments: {
                filename: string;
                content_type: string;
                /** @description bytes */
                size: number;
            }[];
        };
        MessagePage: {
            data: components["schemas"]["MessageSummary"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        /** @enum {string} */
        MessageStatus: "queued" | "sent" | "deferred" | "delivered" | "bounced" | "complained" | "failed" | "rejected" | "scheduled" | "canceled";
        MessageSummary: {
            id: string;
            /** @description the status the message shows now */
            status: components["schemas"]["MessageStatus"];
            created_at: components["schemas"]["Timestamp"];
            /** @description a scheduled send: not sent before this time */
            send_at?: components["schemas"]["Timestamp"];
            from: string;
            /** @description the To header’s addresses */
            to: string[];
            subject: string;
            /** @description the stored template the subject and body were rendered from */
            template?: components["schemas"]["TemplateVersion"];
            tags: {
                [key: string]: string;
            };
        };
        NewApiKey: {
            /** @description the first 12 hex characters of its hash */
            id: string;
            prefix: string;
            scopes: ("send" | "read" | "admin")[];
            description?: string;
            created_at: components["schemas"]["Timestamp"];
            revoked_at: components["schemas"]["Timestamp"] | null;
            /** @description shown only now */
            key: string;
        };
        NewSmtpCredential: {
            username: string;
            description?: string;
            created_at: components["schemas"]["Timestamp"];
            revoked_at: components["schemas"]["Timestamp"] | null;
            /** @description shown only now */
            password: string;
            smtp: {
                host?: string;
                /** @description STARTTLS submission port */
                port: number;
                /** @description implicit TLS port */
                secure_port: number;
                auth: ("PLAIN" | "LOGIN")[];
            };
        };
        OpenApiDocument: {
            /** Format: starts_with */
            openapi: string;
            info: {
                [key: string]: unknown;
            };
            paths: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        PauseInput: {
            reason: string;
        };
        Rates: {
            delivery_rate: number | null;
            bounce_rate: number | null;
            complaint_rate: number | null;
            open_rate: number | null;
            click_rate: number | null;
        };
        RelayAnswer: {
            /** @description SMTP reply code; absent for SES and connection failures */
            code?: number;
            /** @description RFC 3463 enhanced status code, e.g. 5.1.1 */
            enhanced?: string;
            /** @description the SMTP reply, the SES message id, or the connection error */
            response: string;
        };
        RenderRequest: {
            /** @description names of letters, digits and _; values strings, numbers, booleans, null or objects of the same (no arrays) */
            data?: {
                [key: string]: unknown;
            };
        };
        RenderedTemplate: {
            subject: string;
            /** @description null when the template has no html part */
            html: string | null;
            /** @description null when the template has no text part */
            text: string | null;
        };
        Report: {
            from: components["schemas"]["Day"];
            to: components["schemas"]["Day"];
            /** @enum {string} */
            group_by: "day" | "tag" | "domain";
            /** @description group_by=day: `all`, `tag:name=value` or `domain:name` */
            dimension?: string;
            rows: components["schemas"]["ReportRow"][];
            /** @description all mail over the range */
            totals: components["schemas"]["ReportRow"];
        };
        ReportRow: {
            /** @description group_by=day */
            day?: components["schemas"]["Day"];
            /** @description group_by=tag: `name=value` */
            tag?: string;
            /** @description group_by=domain: the sending domain */
            domain?: string;
            requested: number;
            rejected: number;
            canceled: number;
            sent: number;
            delivered: number;
            deferred: number;
            bounced: number;
            bounced_hard: number;
            bounced_soft: number;
            complained: number;
            failed: number;
            opened: number;
            opened_unique: number;
            opened_machine: number;
            clicked: number;
            clicked_unique: number;
            clicked_machine: number;
            converted: number;
            unsubscribed: number;
            /** @description conversion values summed by ISO 4217 currency */
            converted_value?: {
                [key: string]: number;
            };
            rates: components["schemas"]["Rates"];
        };
        SendAttachment: {
            /** @description required with `content`; with `attachment_id`, the upload’s name unless given */
            filename?: string;
            /** @description the file’s bytes in strict base64 (line breaks allowed); this or `attachment_id` */
            content?: string;
            /** @description the id of an upload of the account whose bytes were PUT (`POST /v1/attachments`) */
            attachment_id?: string;
            /** @description a media type; by default the upload’s, else what the file name stands for */
            content_type?: string;
            /** @description makes it an inline part the html refers to as `cid:<content_id>` */
            content_id?: string;
            /**
             * @description `inline` by default with a content_id, else `attachment`
             * @enum {string}
             */
            disposition?: "attachment" | "inline";
        };
        SendRequest: {
            from: string;
            to: string | string[];
            cc?: string | string[];
            bcc?: string | string[];
            reply_to?: string | string[];
            /** @description required unless `template` is given */
            subject?: string;
            /** @description text, html or both, unless `template` is given; at most 256 KiB together (UTF-8) */
            text?: string;
            /** @description text, html or both, unless `template` is given; at most 256 KiB together (UTF-8) */
            html?: string;
            headers?: {
                [key: string]: string;
            };
            tags?: {
                [key: string]: string;
            };
            metadata?: {
                [key: string]: string | number | boolean | null;
            };
            tracking?: {
                opens?: boolean;
                clicks?: boolean;
            };
            /** @description a stored template and its data, instead of subject, html and text */
            template?: {
                /** @description a stored template of the account (`/v1/templates`) */
                id: string;
                /** @description what the template is rendered with: strings, numbers, booleans, null or objects of the same (no arrays) */
                data?: {
                    [key: string]: unknown;
                };
            };
            /** @description send then, not before: an RFC 3339 time with Z or an offset, at most 30 days ahead; a time past or now sends at once */
            send_at?: string;
            /** @description files, given in base64 or by upload id; the files SES refuses to send (executables, scripts…) are refused */
            attachments?: components["schemas"]["SendAttachment"][];
        };
        SmtpCredential: {
            username: string;
            description?: string;
            created_at: components["schemas"]["Timestamp"];
            revoked_at: components["schemas"]["Timestamp"] | null;
        };
        SmtpCredentialInput: {
            description?: string;
        };
        SmtpCredentialPage: {
            data: components["schemas"]["SmtpCredential"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        Suppression: {
            email: string;
            /** @enum {string} */
            reason: "hard_bounce" | "complaint" | "unsubscribe" | "manual";
            created_at: components["schemas"]["Timestamp"];
            /** @description the message whose bounce or complaint added it */
            source_message_id?: string;
            detail?: string;
        };
        SuppressionInput: {
            /** @description `manual` when absent or null */
            reason?: ("hard_bounce" | "complaint" | "unsubscribe" | "manual") | null;
            detail?: string;
        };
        SuppressionPage: {
            data: components["schemas"]["Suppression"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        Template: {
            id: string;
            /** @description unique in the account, compared without regard to case */
            name: string;
            /** @description a template */
            subject: string;
            /** @description a template; null when the template has no html part */
            html: string | null;
            /** @description a template; null when the template has no text part */
            text: string | null;
            /** @description 1 when created; each replacement adds 1 */
            version: number;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        TemplateInput: {
            /** @description unique in the account, compared without regard to case */
            name: string;
            /** @description a template */
            subject: string;
            /** @description a template; html, text or both */
            html?: string;
            /** @description a template; html, text or both */
            text?: string;
        };
        TemplatePage: {
            data: components["schemas"]["TemplateSummary"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        TemplateSummary: {
            id: string;
            /** @description unique in the account, compared without regard to case */
            name: string;
            /** @description a template */
            subject: string;
            /** @description 1 when created; each replacement adds 1 */
            version: number;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        TemplateVersion: {
            /** @description the stored template’s id */
            id: string;
            /** @description 1 when created; each replacement adds 1 */
            version: number;
        };
        Tenant: {
            id: string;
            name: string;
            /** @description null: the deployment's relay */
            relay: {
                /** @constant */
                type: "smtp";
                /** @description password masked */
                url: string;
            } | {
                /** @constant */
                type: "ses";
                configuration_set: string | null;
            } | null;
            /** @description `shared` or a dedicated pool */
            ip_pool: string;
            sending: {
                /** @constant */
                status: "active";
            } | {
                /** @constant */
                status: "paused";
                reason: string;
                paused_at: components["schemas"]["Timestamp"];
                /** @enum {string} */
                by: "breaker" | "operator";
            };
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        TenantInput: {
            id: string;
            name: string;
        };
        TenantPage: {
            data: components["schemas"]["Tenant"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        TenantPatch: {
            name?: string;
            relay?: null | ({
                /** @constant */
                type: "smtp";
                url: string;
            } | {
                /** @constant */
                type: "ses";
                configuration_set?: string;
            });
            ip_pool?: string;
        };
        /**
         * Format: date-time
         * @description ISO 8601 time in UTC
         */
        Timestamp: string;
        Upload: {
            /** @description send the file with `"attachments": [{"attachment_id": id}]` once its bytes are PUT */
            id: string;
            /** @description PUT exactly `size` bytes here, with that Content-Length, before `expires_at` (a presigned S3 URL in AWS, a signed local URL in local mode); no API key */
            upload_url: string;
            /** @description when upload_url stops taking bytes */
            expires_at: components["schemas"]["Timestamp"];
            filename: string;
            /** @description as given, else what the file name stands for */
            content_type: string;
            /** @description bytes the upload URL takes */
            size: number;
        };
        UploadRequest: {
            /** @description the name recipients see; sends may give another */
            filename: string;
            /** @description a media type; what the file name stands for when absent */
            content_type?: string;
            /** @description the file’s bytes: the upload URL takes exactly that many */
            size: number;
        };
        Webhook: {
            id: string;
            url: string;
            /** @description the types it receives; `["*"]`: all */
            events: string[];
            description: string;
            enabled: boolean;
            /** @description why mailroom disabled it: `gone` (it answered 410), `failing` (every delivery failed for 5 days); null otherwise */
            disabled_reason: ("gone" | "failing") | null;
            /** @description since when every delivery failed; null after a success */
            failing_since: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        WebhookCreated: {
            id: string;
            url: string;
            /** @description the types it receives; `["*"]`: all */
            events: string[];
            description: string;
            enabled: boolean;
            /** @description why mailroom disabled it: `gone` (it answered 410), `failing` (every delivery failed for 5 days); null otherwise */
            disabled_reason: ("gone" | "failing") | null;
            /** @description since when every delivery failed; null after a success */
            failing_since: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            /** @description `whsec_` and base64 of 32 random bytes; shown only now */
            secret: string;
        };
        WebhookDelivery: {
            /** @description the `webhook-id` of every try */
            id: string;
            /** @description the document’s `id` */
            event_id: string;
            /** @description the document’s `type` */
            type: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "retrying";
            attempts: number;
            /** @description what the endpoint answered last; null when it did not answer */
            last_status_code: number | null;
            /** @description what went wrong last, in a few words; null after a success */
            last_error: string | null;
            duration_ms: number | null;
            /** @description when the next try is due (`retrying`) */
            next_attempt_at: components["schemas"]["Timestamp"] | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        WebhookDeliveryPage: {
            data: components["schemas"]["WebhookDelivery"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        WebhookInput: {
            /** @description where to post: `https://` on port 443 (or a configured port), resolving to public addresses only */
            url: string;
            /** @description the types to receive: queued, scheduled, rejected, canceled, sent, deferred, delivered, bounced, complained, failed, opened, clicked, converted, unsubscribed, sending_paused, webhook.disabled; `["*"]` (the default) for all, those added later included */
            events?: string[];
            /** @description for people; at most 500 characters */
            description?: string;
        };
        WebhookPage: {
            data: components["schemas"]["Webhook"][];
            /** @description pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        WebhookPatch: {
            /** @description where to post: `https://` on port 443 (or a configured port), resolving to public addresses only */
            url?: string;
            /** @description the types to receive: queued, scheduled, rejected, canceled, sent, deferred, delivered, bounced, complained, failed, opened, clicked, converted, unsubscribed, sending_paused, webhook.disabled; `["*"]` (the default) for all, those added later included */
            events?: string[];
            /** @description for people; at most 500 characters */
            description?: string;
            /** @description `true` starts an endpoint mailroom disabled afresh */
            enabled?: boolean;
        };
        WebhookSecret: {
            /** @description the new secret, shown only now */
            secret: string;
            /** @description until when deliveries also carry a signature by the previous secret */
            previous_secret_expires_at: components["schemas"]["Timestamp"];
        };
    };
    responses: {
        /** @description `invalid_request`: the request is malformed or names invalid values; `details` lists each field and what is wrong with it. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `unauthorized`: no API key, or one that is malformed, unknown or revoked. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `forbidden`: the key lacks the scope the route needs. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `not_found`: nothing of that name for this tenant. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `payload_too_large`: the body is larger than the route takes. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `unsupported_media_type`: the body is not sent as JSON. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `rate_limited`: the tenant made more requests this second than its limit allows. */
        RateLimited: {
            headers: {
                /** @description seconds to wait */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
        /** @description `internal_error`: a fault inside mailroom; nothing internal is disclosed. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDocument"];
            };
        };
    };
    parameters: {
        /** @description The same key with the same body within 24 hours answers the first answer again and does nothing new; with another body: `409 idempotency_key_reused`. A request holds its key for a lease that outlasts the API’s 29-second timeout: the same request meanwhile gets `409 idempotency_request_in_progress`. A retry after the lease, or after a `5xx`, takes the key over, and what it creates gets the ids of the first try’s, so nothing is made twice; a `4xx` other than `422` frees the key. */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type AcceptedMessage = components['schemas']['AcceptedMessage'];
export type ApiKey = components['schemas']['ApiKey'];
export type ApiKeyInput = components['schemas']['ApiKeyInput'];
export type ApiKeyPage = components['schemas']['ApiKeyPage'];
export type BatchRequest = components['schemas']['BatchRequest'];
export type BatchResult = components['schemas']['BatchResult'];
export type Caller = components['schemas']['Caller'];
export type Campaign = components['schemas']['Campaign'];
export type CampaignLinks = components['schemas']['CampaignLinks'];
export type CampaignPage = components['schemas']['CampaignPage'];
export type CampaignRequest = components['schemas']['CampaignRequest'];
export type CampaignStats = components['schemas']['CampaignStats'];
export type Contact = components['schemas']['Contact'];
export type ContactImport = components['schemas']['ContactImport'];
export type ContactInput = components['schemas']['ContactInput'];
export type ContactPage = components['schemas']['ContactPage'];
export type ContactPatch = components['schemas']['ContactPatch'];
export type Conversion = components['schemas']['Conversion'];
export type ConversionRequest = components['schemas']['ConversionRequest'];
export type DailyReport = components['schemas']['DailyReport'];
export type Day = components['schemas']['Day'];
export type DnsRecord = components['schemas']['DnsRecord'];
export type Domain = components['schemas']['Domain'];
export type DomainInput = components['schemas']['DomainInput'];
export type DomainPage = components['schemas']['DomainPage'];
export type ErrorBody = components['schemas']['ErrorBody'];
export type ErrorDocument = components['schemas']['ErrorDocument'];
export type EventDetail = components['schemas']['EventDetail'];
export type Export = components['schemas']['Export'];
export type ExportQueued = components['schemas']['ExportQueued'];
export type ExportRequest = components['schemas']['ExportRequest'];
export type FieldProblem = components['schemas']['FieldProblem'];
export type ImportJob = components['schemas']['ImportJob'];
export type ImportResult = components['schemas']['ImportResult'];
export type InboundRoute = components['schemas']['InboundRoute'];
export type InboundRouteInput = components['schemas']['InboundRouteInput'];
export type InboundRoutePage = components['schemas']['InboundRoutePage'];
export type List = components['schemas']['List'];
export type ListInput = components['schemas']['ListInput'];
export type ListPage = components['schemas']['ListPage'];
export type ListStats = components['schemas']['ListStats'];
export type Message = components['schemas']['Message'];
export type MessageAttachment = components['schemas']['MessageAttachment'];
export type MessageContent = components['schemas']['MessageContent'];
export type MessagePage = components['schemas']['MessagePage'];
export type MessageStatus = components['schemas']['MessageStatus'];
export type MessageSummary = components['schemas']['MessageSummary'];
export type NewApiKey = components['schemas']['NewApiKey'];
export type NewSmtpCredential = components['schemas']['NewSmtpCredential'];
export type OpenApiDocument = components['schemas']['OpenApiDocument'];
export type PauseInput = components['schemas']['PauseInput'];
export type Rates = components['schemas']['Rates'];
export type RelayAnswer = components['schemas']['RelayAnswer'];
export type RenderRequest = components['schemas']['RenderRequest'];
export type RenderedTemplate = components['schemas']['RenderedTemplate'];
export type Report = components['schemas']['Report'];
export type ReportRow = components['schemas']['ReportRow'];
export type SendAttachment = components['schemas']['SendAttachment'];
export type SendRequest = components['schemas']['SendRequest'];
export type SmtpCredential = components['schemas']['SmtpCredential'];
export type SmtpCredentialInput = components['schemas']['SmtpCredentialInput'];
export type SmtpCredentialPage = components['schemas']['SmtpCredentialPage'];
export type Suppression = components['schemas']['Suppression'];
export type SuppressionInput = components['schemas']['SuppressionInput'];
export type SuppressionPage = components['schemas']['SuppressionPage'];
export type Template = components['schemas']['Template'];
export type TemplateInput = components['schemas']['TemplateInput'];
export type TemplatePage = components['schemas']['TemplatePage'];
export type TemplateSummary = components['schemas']['TemplateSummary'];
export type TemplateVersion = components['schemas']['TemplateVersion'];
export type Tenant = components['schemas']['Tenant'];
export type TenantInput = components['schemas']['TenantInput'];
export type TenantPage = components['schemas']['TenantPage'];
export type TenantPatch = components['schemas']['TenantPatch'];
export type Timestamp = components['schemas']['Timestamp'];
export type Upload = components['schemas']['Upload'];
export type UploadRequest = components['schemas']['UploadRequest'];
export type Webhook = components['schemas']['Webhook'];
export type WebhookCreated = components['schemas']['WebhookCreated'];
export type WebhookDelivery = components['schemas']['WebhookDelivery'];
export type WebhookDeliveryPage = components['schemas']['WebhookDeliveryPage'];
export type WebhookInput = components['schemas']['WebhookInput'];
export type WebhookPage = components['schemas']['WebhookPage'];
export type WebhookPatch = components['schemas']['WebhookPatch'];
export type WebhookSecret = components['schemas']['WebhookSecret'];
export type ResponseBadRequest = components['responses']['BadRequest'];
export type ResponseUnauthorized = components['responses']['Unauthorized'];
export type ResponseForbidden = components['responses']['Forbidden'];
export type ResponseNotFound = components['responses']['NotFound'];
export type ResponsePayloadTooLarge = components['responses']['PayloadTooLarge'];
export type ResponseUnsupportedMediaType = components['responses']['UnsupportedMediaType'];
export type ResponseRateLimited = components['responses']['RateLimited'];
export type ResponseInternalError = components['responses']['InternalError'];
export type ParameterIdempotencyKey = components['parameters']['IdempotencyKey'];
export type $defs = Record<string, never>;
export interface operations {
    listMessages: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor`, with the same filters */
                cursor?: string;
                /** @description the status the message shows now, as reading it shows it */
                status?: "queued" | "sent" | "deferred" | "delivered" | "bounced" | "complained" | "failed" | "rejected" | "scheduled" | "canceled";
                /** @description an address the message was sent to, in to, cc or bcc */
                to?: string;
                /** @description `name=value`: the message has that tag */
                tag?: string;
                /** @description a campaign’s id: its messages */
                campaign?: string;
                /** @description a stored template’s id: the messages made from it, any version */
                template?: string;
                /** @description an RFC 3339 time (`2026-03-01T09:30:00Z`): accepted strictly after it */
                after?: string;
                /** @description an RFC 3339 time: accepted strictly before it; later than `after` */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessagePage"];
                };
            };
            /** @description `invalid_request`: a bad value, a parameter the listing does not know, or a cursor of another listing (each named in `details`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    sendMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body within 24 hours answers the first answer again and does nothing new; with another body: `409 idempotency_key_reused`. A request holds its key for a lease that outlasts the API’s 29-second timeout: the same request meanwhile gets `409 idempotency_request_in_progress`. A retry after the lease, or after a `5xx`, takes the key over, and what it creates gets the ids of the first try’s, so nothing is made twice; a `4xx` other than `422` frees the key. */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 4,669,440 bytes. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendRequest"];
            };
        };
        responses: {
            /** @description Queued, or scheduled for its `send_at`. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedMessage"];
                };
            };
            /** @description `invalid_request`: the message is malformed or names invalid values (each in `details`), such as a `send_at` more than 30 days ahead, a file type Amazon SES refuses or bad base64; `attachment_not_found`, `attachment_not_uploaded`, `attachment_expired`: an `attachment_id` that is no upload of this account, whose bytes were never PUT, or that is too old (`details` names the attachment). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the route's scope; `sending_paused`: the tenant's sending is paused (`details.reason`, `details.paused_at`); nothing was stored. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `template_not_found`: the stored template is not one of this account’s. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `idempotency_key_reused`: the key came with another body; `idempotency_request_in_progress`: the first request with it is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `payload_too_large`: the body is over 4,669,440 bytes; upload larger files with `POST /v1/attachments` and send them by `attachment_id`. `message_too_large`: with its files (base64-encoded) the message would compose to over 40 MiB; nothing was stored. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `all_recipients_suppressed`: every recipient is suppressed (the message is recorded as `rejected`; its id is `details.id`); `domain_not_verified`: the sender’s domain is not verified for the tenant; `template_error`: the stored template does not render with the data (`details` names the problem), nothing was stored; `tracking_unavailable`: tracking asked for and no link-signing key configured; `attachments_unavailable`: files given and the deployment keeps none. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: the queue or the scheduler did not take the message (nothing is stored), it could not be stored in time, or the link-signing key could not be read; retry with the same Idempotency-Key. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    sendBatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body within 24 hours answers the first answer again and does nothing new; with another body: `409 idempotency_key_reused`. A request holds its key for a lease that outlasts the API’s 29-second timeout: the same request meanwhile gets `409 idempotency_request_in_progress`. A retry after the lease, or after a `5xx`, takes the key over, and what it creates gets the ids of the first try’s, so nothing is made twice; a `4xx` other than `422` frees the key. */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 4,669,440 bytes. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchRequest"];
            };
        };
        responses: {
            /** @description Each message’s result. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the route's scope; `sending_paused`: the tenant's sending is paused (`details.reason`, `details.paused_at`); nothing was stored. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `idempotency_key_reused`: the key came with another body; `idempotency_request_in_progress`: the first request with it is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `payload_too_large`: the body is over 4,669,440 bytes; upload larger files with `POST /v1/attachments`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: the queue or the scheduler did not take the messages, or they could not be stored in time; a batch of more than ten may have its first tens stored: retry with the same Idempotency-Key to send each once. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    getMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the id the send answered */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The message. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no message of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getMessageContent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the id the send answered */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The content. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageContent"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no message of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `content_not_stored`: the message was submitted over SMTP; its bytes are kept only to relay them. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `content_expired`: the message is still listed, but its content has passed the retention period. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    cancelMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the id the send answered */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The message, canceled, as reading it shows it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no message of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `not_cancelable`: delivery has taken the message, or it is finished. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listSuppressions: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of suppressions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SuppressionPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getSuppression: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the address, URL-encoded (`ann%40example.org`) */
                email: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The suppression. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suppression"];
                };
            };
            /** @description `invalid_request`: not an email address. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: the address is not suppressed. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    putSuppression: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the address, URL-encoded (`ann%40example.org`) */
                email: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SuppressionInput"];
            };
        };
        responses: {
            /** @description The suppression, added or replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Suppression"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteSuppression: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the address, URL-encoded (`ann%40example.org`) */
                email: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request`: not an email address. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: the address is not suppressed. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getReport: {
        parameters: {
            query: {
                /** @description first day (UTC), included */
                from: string;
                /** @description last day (UTC), included; at most 366 days after `from` */
                to: string;
                /** @description rows by day, by tag value or by sending domain */
                group_by?: "day" | "tag" | "domain";
                /** @description `name=value`: the day series of one tag (group_by=day) */
                tag?: string;
                /** @description the day series of one sending domain (group_by=day); not with `tag` */
                domain?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getDailyReport: {
        parameters: {
            query: {
                /** @description first day (UTC), included */
                from: string;
                /** @description last day (UTC), included; at most 366 days after `from` */
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The days and their totals. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DailyReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportRequest"];
            };
        };
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportQueued"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: the job could not be queued; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    getExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the id the export answered */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no export of that id for this tenant, or one past its 7 days. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body within 24 hours answers the first answer again and does nothing new; with another body: `409 idempotency_key_reused`. A request holds its key for a lease that outlasts the API’s 29-second timeout: the same request meanwhile gets `409 idempotency_request_in_progress`. A retry after the lease, or after a `5xx`, takes the key over, and what it creates gets the ids of the first try’s, so nothing is made twice; a `4xx` other than `422` frees the key. */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UploadRequest"];
            };
        };
        responses: {
            /** @description Where to PUT the bytes. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Upload"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `idempotency_key_reused`: the key came with another body; `idempotency_request_in_progress`: the first request with it is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `attachments_unavailable`: the deployment keeps no files. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listLists: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of lists. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ListInput"];
            };
        };
        responses: {
            /** @description The new list. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["List"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getList: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The list. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["List"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteList: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: the removal could not be scheduled; nothing was deleted. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    importContacts: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` (RFC 7240): run the import as a job whatever its size */
                Prefer?: string;
            };
            path: {
                /** @description the list’s id */
                id: string;
            };
            cookie?: never;
        };
        /** @description As `text/csv`: a header row with an `email` column, an optional `status` column, and every other column an attribute (UTF-8). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactImport"];
                "text/csv": string;
            };
        };
        responses: {
            /** @description Written within the request: what became of each row. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            /** @description Queued as a job: it writes the contacts in the background. */
            202: {
                headers: {
                    /** @description the job: `/v1/lists/{id}/contacts/imports/{importId}` */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: not every contact could be stored, or the job could not be stored or queued; run the import again. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    getImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
                /** @description the job’s id, as the 202 gave it */
                importId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportJob"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `import_not_found`: no import of that id for this list and tenant, or one past its retention. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listContacts: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of contacts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    addContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactInput"];
            };
        };
        responses: {
            /** @description The contact replaced the one with that address. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            /** @description The new contact. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `contact_unsubscribed`: the person unsubscribed; only they can subscribe again, through a link. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
                /** @description the contact’s address, URL-encoded (`ann%40example.org`) */
                email: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The contact. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            /** @description `invalid_request`: not an email address. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. `contact_not_found`: the address is not on the list. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    removeContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
                /** @description the contact’s address, URL-encoded (`ann%40example.org`) */
                email: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request`: not an email address. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. `contact_not_found`: the address is not on the list. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    updateContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
                /** @description the contact’s address, URL-encoded (`ann%40example.org`) */
                email: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactPatch"];
            };
        };
        responses: {
            /** @description The contact as changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. `contact_not_found`: the address is not on the list. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `contact_unsubscribed`: the person unsubscribed; only they can subscribe again, through a link. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listCampaigns: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of campaigns. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createCampaign: {
        parameters: {
            query?: never;
            header?: {
                /** @description The same key with the same body within 24 hours answers the first answer again and does nothing new; with another body: `409 idempotency_key_reused`. A request holds its key for a lease that outlasts the API’s 29-second timeout: the same request meanwhile gets `409 idempotency_request_in_progress`. A retry after the lease, or after a `5xx`, takes the key over, and what it creates gets the ids of the first try’s, so nothing is made twice; a `4xx` other than `422` frees the key. */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CampaignRequest"];
            };
        };
        responses: {
            /** @description The campaign, sending. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the route's scope; `sending_paused`: the tenant's sending is paused (`details.reason`, `details.paused_at`); nothing was stored. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `list_not_found`: no list of that id for this tenant; `template_not_found`: `template_id` names no stored template of this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `idempotency_key_reused`: the key came with another body; `idempotency_request_in_progress`: the first request with it is still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `template_error`: a template does not compile (`details.part`, `details.line`); `unsubscribe_links_unavailable`: no link-signing key is configured; `domain_not_verified`: the sender’s domain is not verified. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: the fan-out could not be queued, or the link-signing key read; nothing was sent. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    getCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the campaign’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The campaign. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `campaign_not_found`: no campaign of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getCampaignStats: {
        parameters: {
            query?: {
                /** @description first day (UTC), included; from the campaign’s first day when absent */
                from?: string;
                /** @description last day (UTC), included; at most 366 days after `from` */
                to?: string;
            };
            header?: never;
            path: {
                /** @description the campaign’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures and the fan-out. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignStats"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `campaign_not_found`: no campaign of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getCampaignLinks: {
        parameters: {
            query?: {
                /** @description links to show at most, the most clicked */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description the campaign’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The links and their clicks. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignLinks"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `campaign_not_found`: no campaign of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getListStats: {
        parameters: {
            query?: {
                /** @description first day (UTC), included; the last 30 days when absent */
                from?: string;
                /** @description last day (UTC), included; at most 366 days after `from` */
                to?: string;
            };
            header?: never;
            path: {
                /** @description the list’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListStats"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `list_not_found`: no list of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listTemplates: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of templates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplatePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description The template, version 1. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `template_name_taken`: another template of the account has this name (names are compared without regard to case). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `template_error`: a part does not compile (`details.part`, `details.line`); nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `template_not_found`: no template of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    replaceTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description The template, its next version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `template_not_found`: no template of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `template_name_taken`: another template of the account has this name (names are compared without regard to case). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `template_error`: a part does not compile (`details.part`, `details.line`); nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: other changes of the same template kept overtaking this one; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `template_not_found`: no template of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: other changes of the same template kept overtaking this one; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    renderTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the template’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RenderRequest"];
            };
        };
        responses: {
            /** @description The subject and bodies, rendered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RenderedTemplate"];
                };
            };
            /** @description `invalid_request`: the data breaks its rules (each problem in `details`, named by its path such as `data.order.items`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `template_not_found`: no template of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `template_error`: the template does not render with this data (the subject renders empty or unsafe, or the message too large); `details` names the problem. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    recordConversion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConversionRequest"];
            };
        };
        responses: {
            /** @description Recorded: what it was attributed to. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversion"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: the token is not a valid attribution token of this tenant, or its message is gone. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `links_not_configured`: no link-signing key is configured. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: the link-signing key could not be read; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    listDomains: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of domains. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DomainPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    registerDomain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DomainInput"];
            };
        };
        responses: {
            /** @description The domain existed already: the same records. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Domain"];
                };
            };
            /** @description The new domain and the records to publish. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Domain"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `domain_taken`: another tenant holds the domain (with relay `ses`, also a parent or subdomain of it). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `public_suffix`: the name is a public suffix such as `co.uk`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: Amazon SES did not answer; nothing changed. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    checkDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the domain, e.g. `shop.example` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The domain, each record with its status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Domain"];
                };
            };
            /** @description `invalid_request`: not a domain name. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: the tenant has no such domain. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the domain, e.g. `shop.example` */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed: mail from it is refused from now on. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `invalid_request`: not a domain name. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: the tenant has no such domain. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: Amazon SES did not answer; nothing changed. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tenants. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the `admin` scope, or is a tenant's admin key on an operator's route. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantInput"];
            };
        };
        responses: {
            /** @description The new tenant. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the `admin` scope, or is a tenant's admin key on an operator's route. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `tenant_exists`: a tenant with that id exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantPatch"];
            };
        };
        responses: {
            /** @description The tenant as changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the `admin` scope, or is a tenant's admin key on an operator's route. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `ses_unavailable`, `unknown_configuration_set`: an SES relay the deployment cannot send through; `unknown_ip_pool`, `ip_pool_needs_ses`, `ip_pool_conflict`: an IP pool that is not configured or does not go with the relay. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    pauseTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PauseInput"];
            };
        };
        responses: {
            /** @description The tenant, paused. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the `admin` scope, or is a tenant's admin key on an operator's route. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    resumeTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant, active. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description `forbidden`: the key lacks the `admin` scope, or is a tenant's admin key on an operator's route. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyInput"];
            };
        };
        responses: {
            /** @description The new key. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewApiKey"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
                /** @description the key’s id (as listed) */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). `not_found` also for an unknown key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `own_key`: a key cannot revoke itself. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listSmtpCredentials: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of credentials. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmtpCredentialPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createSmtpCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SmtpCredentialInput"];
            };
        };
        responses: {
            /** @description The new credential and where to connect. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewSmtpCredential"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeSmtpCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant’s id */
                id: string;
                /** @description the credential’s username (`mr_smtp_…`) */
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no such tenant, or another tenant than the key’s (for a tenant’s own admin key). `not_found` also for an unknown credential. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getCaller: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Caller"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookInput"];
            };
        };
        responses: {
            /** @description The endpoint and its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description `invalid_request`: a field breaks its rules (each in `details`); `invalid_webhook_url`: mailroom will not post to the URL (not https, another port, credentials, or a host that is or resolves to a private, loopback, link-local, unique-local, multicast or reserved address); `details` says why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_limit_reached`: the tenant has as many endpoints as it may. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint (never its secret). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: other changes of the same endpoint kept overtaking this one; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPatch"];
            };
        };
        responses: {
            /** @description The endpoint as changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description `invalid_request`: a field breaks its rules (each in `details`); `invalid_webhook_url`: mailroom will not post to the URL (not https, another port, credentials, or a host that is or resolves to a private, loopback, link-local, unique-local, multicast or reserved address); `details` says why. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: other changes of the same endpoint kept overtaking this one; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery, `succeeded` or `failed`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret, shown this once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecret"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description `service_unavailable`: other changes of the same endpoint kept overtaking this one; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description items per page */
                limit?: number;
                /** @description the previous page’s `next_cursor` */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the endpoint’s id */
                id: string;
                /** @description the delivery’s id */
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery after this try. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. `delivery_not_found`: no delivery of that id for this endpoint. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    listInboundRoutes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every route of the tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundRoutePage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    createInboundRoute: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InboundRouteInput"];
            };
        };
        responses: {
            /** @description The route. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InboundRoute"];
                };
            };
            /** @description `invalid_request`: `match` is no address or domain, or a field is missing. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `webhook_not_found`: no endpoint of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            /** @description `inbound_route_taken`: the address or domain is routed already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `domain_not_registered`: the tenant has not registered the domain (or a parent of it). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteInboundRoute: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the route’s id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description `not_found`: no route of that id for this tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDocument"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
}
