from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "hms.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from hms.core import calendar, seeding
        from hms.core.cards import register_home_card, register_unit_card
        from hms.meetings import cards, feed
        from hms.meetings.demo import seed_demo
        from hms.meetings.points import involved_evidence, meetings_evidence
        from hms.meetings.points_together import active_evidence, together_evidence
        from hms.meetings.scale import bench_targets, seed_scale
        from hms.points.evidence import register

        seeding.DEMO.register("meetings", 70, seed_demo)
        seeding.SCALE.register("meetings", 60, seed_scale)  # before governance: the draws keep their order
        seeding.BENCH_TARGETS.register("meetings", 60, bench_targets)
        register_unit_card(20, cards.unit_card)
        register_home_card(20, cards.home_card)
        calendar.register(10, feed.meeting_entries)
        register("leader_safety_rep_meetings", meetings_evidence)
        register("safety_rep_involved", involved_evidence)
        register("safety_rep_active", active_evidence)
        register("measures_together", together_evidence)
