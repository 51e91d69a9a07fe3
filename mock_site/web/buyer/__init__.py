"""The buyer's pages: sign-in, My Orders, order details, cancelling, messages, refunds, coupons.

Each view reads or writes inside one transaction and renders before it ends, so
templates may follow relationships. Forms use Post/Redirect/Get: success leaves a
flash message and redirects; a refusal shows the same page again with the reason.
"""
