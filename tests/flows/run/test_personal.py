"""What a recording keeps of personal values: the sample, never the scenario's own."""

from flows.run.personal import SAMPLE_EMAIL, text_with_samples

VALUES = {"buyer_email": "buyer-3f9a@example.test", "seller_email": "seller-3f9a@example.test",
          "token": "3f9a"}


def test_the_scenarios_addresses_become_the_sample_wherever_they_stand():
    tree = ('- textbox "Note": buyer-3f9a@example.test\n'
            '- text: Reply to seller-3f9a@example.test or buyer-3f9a@example.test')

    assert text_with_samples(tree, VALUES) == (
        f'- textbox "Note": {SAMPLE_EMAIL}\n- text: Reply to {SAMPLE_EMAIL} or {SAMPLE_EMAIL}')


def test_other_text_and_missing_values_are_left_alone():
    assert text_with_samples('- heading "Order 3f9a"', VALUES) == '- heading "Order 3f9a"'
    assert text_with_samples("- text: anyone@example.test", {"buyer_email": ""}) == (
        "- text: anyone@example.test")
