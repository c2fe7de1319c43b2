"""A local stand-in for the hotel PMS *Loggro Alojamientos* (docs/pms-api.md and
docs/pms-simulator.md).

    python -m loggro_app.standins.pms --port 8440 --data-dir data/pms

It receives the connection push and the signed webhooks of Loggro Pymes, and lets a person
(a Spanish page at `/`) or a test (the JSON admin API under `/admin`) create hotel folios
and push their invoices and credit notes to the product. It listens on 127.0.0.1 only and
keeps its state in `<data-dir>/pms.db`. The product never imports it.
"""
