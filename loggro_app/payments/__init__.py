"""Payments for extra document packs: card (Stripe), PSE and cash (Colombian gateway).

Entry points: `gateway` (interface, state machine, errors), `stripe_gateway.StripeGateway`,
`colombian_gateway.ColombianGateway`, `config.PaymentSettings`, `cash_reference`, and the
local servers in `local_servers` / `localstripe_server` / `simulator`.
"""
