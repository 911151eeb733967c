"""the seed's workflows: 在管在控 checks and events, risk assessments, mediation bodies and
mediations, hand-over of disputes and 回访 due dates, case series (串并案), 110 alerts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

New tables; new columns on person (control_status) and dispute (hand-over, answer, follow-up due)
with defaults. No data changes: every listed person starts 在控.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('mediation_body',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('center', 'work_room', 'committee', 'justice', 'other')", name=op.f('ck_mediation_body_kind')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_mediation_body_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_body')),
    sa.UniqueConstraint('station_id', 'name', name='uq_mediation_body_station_name'),
    sa.UniqueConstraint('uuid', name=op.f('uq_mediation_body_uuid'))
    )
    op.create_table('case_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('lead_officer_id', sa.Integer(), nullable=True),
    sa.Column('features', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('solved_on', sa.Date(), nullable=True),
    sa.Column('solved_note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'solved')", name=op.f('ck_case_series_status')),
    sa.ForeignKeyConstraint(['lead_officer_id'], ['officer.id'], name=op.f('fk_case_series_lead_officer_id_officer')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_case_series_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_series')),
    sa.UniqueConstraint('station_id', 'name', name='uq_case_series_station_name'),
    sa.UniqueConstraint('uuid', name=op.f('uq_case_series_uuid'))
    )
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('alert_no', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('caller', sa.String(length=50), nullable=False),
    sa.Column('caller_phone', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], name=op.f('fk_alert_dispute_id_dispute')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_alert_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert')),
    sa.UniqueConstraint('station_id', 'alert_no', name='uq_alert_station_alert_no'),
    sa.UniqueConstraint('uuid', name=op.f('uq_alert_uuid'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index('ix_alert_address', ['address'], unique=False)
        batch_op.create_index('ix_alert_caller_phone', ['caller_phone'], unique=False)
        batch_op.create_index('ix_alert_dispute', ['dispute_id'], unique=False)
        batch_op.create_index('ix_alert_received', ['received_at'], unique=False)

    op.create_table('control_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('check', 'hit', 'status')", name=op.f('ck_control_check_kind')),
    sa.CheckConstraint("status IN ('in_control', 'out_of_control', 'lost_contact', 'away_reported')", name=op.f('ck_control_check_status')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_control_check_officer_id_officer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_control_check_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_control_check')),
    sa.UniqueConstraint('uuid', name=op.f('uq_control_check_uuid'))
    )
    with op.batch_alter_table('control_check', schema=None) as batch_op:
        batch_op.create_index('ix_control_check_checked', ['checked_at'], unique=False)
        batch_op.create_index('ix_control_check_person', ['person_id', 'checked_at'], unique=False)

    op.create_table('mediation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('mediator', sa.String(length=100), nullable=False),
    sa.Column('agreement', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("result IN ('agreed', 'partial', 'failed')", name=op.f('ck_mediation_result')),
    sa.ForeignKeyConstraint(['body_id'], ['mediation_body.id'], name=op.f('fk_mediation_body_id_mediation_body')),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], name=op.f('fk_mediation_dispute_id_dispute')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_mediation_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation')),
    sa.UniqueConstraint('uuid', name=op.f('uq_mediation_uuid'))
    )
    with op.batch_alter_table('mediation', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_dispute', ['dispute_id', 'held_on'], unique=False)

    op.create_table('person_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('lost_control', 'petition', 'trouble')", name=op.f('ck_person_event_kind')),
    sa.CheckConstraint("tier IS NULL OR tier IN ('central', 'ministry', 'province')", name=op.f('ck_person_event_tier')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_person_event_officer_id_officer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_event_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_event')),
    sa.UniqueConstraint('uuid', name=op.f('uq_person_event_uuid'))
    )
    with op.batch_alter_table('person_event', schema=None) as batch_op:
        batch_op.create_index('ix_person_event_occurred', ['occurred_on'], unique=False)
        batch_op.create_index('ix_person_event_person', ['person_id', 'occurred_on'], unique=False)

    op.create_table('risk_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('assessed_at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('categories', sa.String(length=200), nullable=False),
    sa.Column('mental_risk_grade', sa.Integer(), nullable=True),
    sa.Column('petition_tier', sa.String(length=10), nullable=True),
    sa.Column('proposed_level', sa.String(length=6), nullable=False),
    sa.Column('proposed_reason', sa.Text(), nullable=False),
    sa.Column('confirmed_level', sa.String(length=6), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("confirmed_level IN ('red', 'orange', 'yellow', 'green')", name=op.f('ck_risk_assessment_confirmed_level')),
    sa.CheckConstraint("petition_tier IS NULL OR petition_tier IN ('central', 'ministry', 'province')", name=op.f('ck_risk_assessment_petition_tier')),
    sa.CheckConstraint("proposed_level IN ('red', 'orange', 'yellow', 'green')", name=op.f('ck_risk_assessment_proposed_level')),
    sa.CheckConstraint('mental_risk_grade IS NULL OR mental_risk_grade BETWEEN 0 AND 5', name=op.f('ck_risk_assessment_mental_risk_grade')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_risk_assessment_officer_id_officer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_risk_assessment_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessment')),
    sa.UniqueConstraint('uuid', name=op.f('uq_risk_assessment_uuid'))
    )
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.create_index('ix_risk_assessment_person', ['person_id', 'assessed_at'], unique=False)

    op.create_table('series_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_record.id'], name=op.f('fk_series_member_case_id_case_record')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_series_member_officer_id_officer')),
    sa.ForeignKeyConstraint(['series_id'], ['case_series.id'], name=op.f('fk_series_member_series_id_case_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_member')),
    sa.UniqueConstraint('series_id', 'case_id', name='uq_series_member_series_case'),
    sa.UniqueConstraint('uuid', name=op.f('uq_series_member_uuid'))
    )
    with op.batch_alter_table('series_member', schema=None) as batch_op:
        batch_op.create_index('ix_series_member_case', ['case_id'], unique=False)

    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handover_department', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('handover_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answer_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answer', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('followup_due', sa.Date(), nullable=True))

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('control_status', sa.String(length=16), nullable=False, server_default='in_control'))
    # The branch keeps where each new kind of entity lives (sync_record.kind grows to 16 characters).
    with op.batch_alter_table("sync_record") as batch_op:
        batch_op.drop_constraint(op.f("ck_sync_record_kind"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=8), type_=sa.String(length=16),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f("ck_sync_record_kind"), "kind IN ('station', 'team', 'officer', "
                                         "'case', 'dispute', 'person', 'mediation_body', 'case_series', 'alert')")


def downgrade() -> None:
    with op.batch_alter_table("sync_record") as batch_op:
        batch_op.drop_constraint(op.f("ck_sync_record_kind"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=16), type_=sa.String(length=8),
                              existing_nullable=False)
        batch_op.create_check_constraint(op.f("ck_sync_record_kind"), "kind IN ('station', 'team', 'officer', "
                                         "'case', 'dispute', 'person')")
    with op.batch_alter_table("dispute") as batch:
        for name in ("followup_due", "answered_on", "answer", "answer_due", "handover_on", "handover_department"):
            batch.drop_column(name)
    with op.batch_alter_table("person") as batch:
        batch.drop_column("control_status")
    for table in ("alert", "series_member", "case_series", "mediation", "mediation_body", "risk_assessment",
                  "person_event", "control_check"):
        op.drop_table(table)
