"""The paths registry and the scenario names: every path and scenario named once."""

from domain.paths import PATHS, PathId
from domain.scenarios import SCENARIOS, SHOWCASE, ScenarioName, scenario_spec
from domain.statuses import OrderStatus


def test_every_path_has_its_words_in_reading_order():
    assert list(PATHS) == list(PathId)
    for path, info in PATHS.items():
        assert info.id is path
        assert info.label and info.summary and info.when and info.next


def test_path_labels_are_distinct():
    labels = [info.label for info in PATHS.values()]
    assert len(set(labels)) == len(labels)


def test_each_path_names_the_statuses_it_starts_from():
    assert f"**{OrderStatus.PAYMENT_BEING_VERIFIED}**" in PATHS[PathId.PRE_VERIFICATION].when
    assert f"**{OrderStatus.AWAITING_SHIPMENT}**" in PATHS[PathId.POST_VERIFICATION].when
    assert f"**{OrderStatus.AWAITING_DELIVERY}**" in PATHS[PathId.POST_VERIFICATION].when


def test_every_scenario_name_has_a_definition():
    assert [*SCENARIOS, SHOWCASE.name] == list(ScenarioName)
    for name in ScenarioName:
        assert scenario_spec(name).name is name
        assert scenario_spec(name.value).name is name
