"""The marketplace's cancellation, refund and coupon rules, apart from the web layer.

Everything here is plain Python over plain values; time is always passed in.
The storefront, the flows and the guide all ask these modules, so a rule is
written once.
"""
