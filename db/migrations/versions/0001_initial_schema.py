"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=40), nullable=True),
    sa.Column('station', sa.String(length=40), nullable=True),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('before_json', sa.Text(), nullable=True),
    sa.Column('after_json', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id', 'seq'], unique=False)

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('categories',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('name_zh', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_categories'))
    )
    op.create_table(
        'customers',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('phone', sa.String(length=32), nullable=True),
        sa.Column('email', sa.String(length=160), nullable=True),
        sa.Column('address', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            'name_fold',
            sa.String(length=120).with_variant(sa.String(length=120, collation='C'), 'postgresql'),
            sa.Computed('lower(name)', persisted=True),
            nullable=True,
        ),
        sa.Column(
            'phone_tail',
            sa.String(length=32),
            sa.Computed('substr(phone, length(phone) - 3)', persisted=True),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
        sa.UniqueConstraint('code', name=op.f('uq_customers_code')),
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_name_fold'), ['name_fold'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_phone_tail'), ['phone_tail'], unique=False)

    op.create_table('number_sequences',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('next_value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_number_sequences'))
    )
    op.create_table('return_reasons',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('name_zh', sa.String(length=80), nullable=False),
    sa.Column('vendor_fault', sa.Boolean(), nullable=False),
    sa.Column('allowed_resolutions', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_return_reasons'))
    )
    op.create_table('stations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('site', sa.String(length=32), nullable=True),
    sa.Column('settings_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('code', name=op.f('uq_stations_code'))
    )
    op.create_table('stock_locations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_locations')),
    sa.UniqueConstraint('code', name=op.f('uq_stock_locations_code'))
    )
    op.create_table('suppliers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('rtv_contact', sa.String(length=160), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('code', name=op.f('uq_suppliers_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('approval_limit_minor', sa.BigInteger(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('print_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('doc_type', sa.String(length=24), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('copy_no', sa.Integer(), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('printed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('station', sa.String(length=40), nullable=True),
    sa.Column('destination', sa.String(length=160), nullable=False),
    sa.ForeignKeyConstraint(['printed_by'], ['users.id'], name=op.f('fk_print_log_printed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_log'))
    )
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.create_index('ix_print_log_doc', ['doc_type', 'reference'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sku', sa.String(length=40), nullable=False),
    sa.Column('barcode', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('name_zh', sa.String(length=160), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('supplier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('cost_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_rate_bp', sa.Integer(), nullable=False),
    sa.Column('returnable', sa.Boolean(), nullable=False),
    sa.Column('serial_tracked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['categories.code'], name=op.f('fk_products_category_categories')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_products_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('sku', name=op.f('uq_products_sku'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_barcode'), ['barcode'], unique=False)

    op.create_table('return_policies',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('rules_json', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_return_policies_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_policies')),
    sa.UniqueConstraint('version', name=op.f('uq_return_policies_version'))
    )
    op.create_table('sales_orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_no', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('sold_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payment_method', sa.String(length=24), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('shipping_minor', sa.BigInteger(), nullable=False),
    sa.Column('total_paid_minor', sa.BigInteger(), nullable=False),
    sa.Column('site', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_orders_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_orders')),
    sa.UniqueConstraint('order_no', name=op.f('uq_sales_orders_order_no'))
    )
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_orders_customer_id'), ['customer_id'], unique=False)

    op.create_table('returns',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rma_no', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('policy_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('in_policy', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('override_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('refund_method', sa.String(length=24), nullable=False),
    sa.Column('resolution', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_station', sa.String(length=40), nullable=True),
    sa.Column('receive_by', sa.Date(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inspected_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('approval_level', sa.String(length=16), nullable=True),
    sa.Column('approval_reasons', sa.Text(), nullable=True),
    sa.Column('refund_total_minor', sa.BigInteger(), nullable=False),
    sa.Column('deductions_minor', sa.BigInteger(), nullable=False),
    sa.Column('shipping_refund_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_returns_created_by_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_returns_customer_id_customers')),
    sa.ForeignKeyConstraint(['inspected_by'], ['users.id'], name=op.f('fk_returns_inspected_by_users')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_returns_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['override_by'], ['users.id'], name=op.f('fk_returns_override_by_users')),
    sa.ForeignKeyConstraint(['policy_id'], ['return_policies.id'], name=op.f('fk_returns_policy_id_return_policies')),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_returns_received_by_users')),
    sa.ForeignKeyConstraint(['status_changed_by'], ['users.id'], name=op.f('fk_returns_status_changed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns')),
    sa.UniqueConstraint('rma_no', name=op.f('uq_returns_rma_no'))
    )
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.create_index(
            'ix_returns_approval_queue', ['approval_level', 'status', 'status_changed_at'], unique=False
        )
        batch_op.create_index('ix_returns_created', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_returns_expected', ['status', 'receive_by', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_returns_status_changed', ['status', 'status_changed_at', 'id'], unique=False)

    op.create_table('sales_order_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('paid_minor', sa.BigInteger(), nullable=False),
    sa.Column('serial_numbers', sa.Text(), nullable=True),
    sa.Column('qty_in_process', sa.Integer(), nullable=False),
    sa.Column('qty_returned', sa.Integer(), nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_sales_order_lines_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_sales_order_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order_lines')),
    sa.UniqueConstraint('order_id', 'line_no', name='order_line_no')
    )
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_order_lines_product_id'), ['product_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_approvals_decided_by_users')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_approvals_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_return_id'), ['return_id'], unique=False)

    op.create_table('credit_notes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('net_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_credit_notes_customer_id_customers')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_credit_notes_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_notes')),
    sa.UniqueConstraint('number', name=op.f('uq_credit_notes_number'))
    )
    with op.batch_alter_table('credit_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_notes_return_id'), ['return_id'], unique=False)

    op.create_table('replacement_orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_no', sa.String(length=24), nullable=False),
    sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('value_minor', sa.BigInteger(), nullable=False),
    sa.Column('credit_minor', sa.BigInteger(), nullable=False),
    sa.Column('difference_minor', sa.BigInteger(), nullable=False),
    sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_replacement_orders_created_by_users')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_replacement_orders_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replacement_orders')),
    sa.UniqueConstraint('order_no', name=op.f('uq_replacement_orders_order_no')),
    sa.UniqueConstraint('return_id', name=op.f('uq_replacement_orders_return_id'))
    )
    op.create_table(
        'return_lines',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('line_no', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('qty_requested', sa.Integer(), nullable=False),
        sa.Column('qty_authorized', sa.Integer(), nullable=False),
        sa.Column('qty_received', sa.Integer(), nullable=False),
        sa.Column('qty_accepted', sa.Integer(), nullable=False),
        sa.Column('qty_rejected', sa.Integer(), nullable=False),
        sa.Column('reason_code', sa.String(length=32), nullable=False),
        sa.Column('resolution', sa.String(length=16), nullable=False),
        sa.Column('condition_notes', sa.Text(), nullable=True),
        sa.Column('conditions_met', sa.String(length=200), nullable=True),
        sa.Column('policy_status', sa.String(length=20), nullable=False),
        sa.Column('policy_note', sa.Text(), nullable=True),
        sa.Column('grade', sa.String(length=1), nullable=True),
        sa.Column('disposition', sa.String(length=24), nullable=True),
        sa.Column('short_closed', sa.Boolean(), nullable=False),
        sa.Column('refund_minor', sa.BigInteger(), nullable=False),
        sa.Column('fee_minor', sa.BigInteger(), nullable=False),
        sa.Column('deduction_minor', sa.BigInteger(), nullable=False),
        sa.Column('tax_minor', sa.BigInteger(), nullable=False),
        sa.Column('exchange_product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.CheckConstraint('qty_requested > 0', name=op.f('ck_return_lines_qty_positive')),
        sa.ForeignKeyConstraint(
            ['exchange_product_id'], ['products.id'], name=op.f('fk_return_lines_exchange_product_id_products')
        ),
        sa.ForeignKeyConstraint(
            ['order_line_id'], ['sales_order_lines.id'], name=op.f('fk_return_lines_order_line_id_sales_order_lines')
        ),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_return_lines_product_id_products')),
        sa.ForeignKeyConstraint(
            ['reason_code'], ['return_reasons.code'], name=op.f('fk_return_lines_reason_code_return_reasons')
        ),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_lines_return_id_returns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_lines')),
        sa.UniqueConstraint('return_id', 'line_no', name='return_line_no'),
    )
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_lines_order_line_id'), ['order_line_id'], unique=False)

    op.create_table(
        'stock_movements',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('from_location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('to_location_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.CheckConstraint('quantity > 0', name=op.f('ck_stock_movements_qty_positive')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_stock_movements_created_by_users')),
        sa.ForeignKeyConstraint(
            ['from_location_id'],
            ['stock_locations.id'],
            name=op.f('fk_stock_movements_from_location_id_stock_locations'),
        ),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_movements_product_id_products')),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_stock_movements_return_id_returns')),
        sa.ForeignKeyConstraint(
            ['to_location_id'], ['stock_locations.id'], name=op.f('fk_stock_movements_to_location_id_stock_locations')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements')),
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_product_from', ['product_id', 'from_location_id'], unique=False)
        batch_op.create_index('ix_stock_movements_product_to', ['product_id', 'to_location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movements_return_id'), ['return_id'], unique=False)

    op.create_table(
        'unexpected_parcels',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('station', sa.String(length=40), nullable=True),
        sa.Column('tracking_no', sa.String(length=80), nullable=True),
        sa.Column('sender', sa.String(length=160), nullable=True),
        sa.Column('order_hint', sa.String(length=80), nullable=True),
        sa.Column('contents', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('matched_return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.ForeignKeyConstraint(
            ['matched_return_id'], ['returns.id'], name=op.f('fk_unexpected_parcels_matched_return_id_returns')
        ),
        sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_unexpected_parcels_received_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_unexpected_parcels')),
    )
    with op.batch_alter_table('unexpected_parcels', schema=None) as batch_op:
        batch_op.create_index('ix_unexpected_parcels_status', ['status', 'received_at', 'id'], unique=False)

    op.create_table(
        'inspection_units',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('return_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('scanned_code', sa.String(length=80), nullable=True),
        sa.Column('serial_no', sa.String(length=80), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('grade', sa.String(length=1), nullable=True),
        sa.Column('disposition', sa.String(length=24), nullable=True),
        sa.Column('packaging_intact', sa.Boolean(), nullable=True),
        sa.Column('accessories_complete', sa.Boolean(), nullable=True),
        sa.Column('serial_matches', sa.Boolean(), nullable=True),
        sa.Column('functional', sa.Boolean(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('inspected_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('station', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['inspected_by'], ['users.id'], name=op.f('fk_inspection_units_inspected_by_users')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_inspection_units_product_id_products')),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_inspection_units_return_id_returns')),
        sa.ForeignKeyConstraint(
            ['return_line_id'], ['return_lines.id'], name=op.f('fk_inspection_units_return_line_id_return_lines')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_units')),
    )
    with op.batch_alter_table('inspection_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_units_return_id'), ['return_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_units_return_line_id'), ['return_line_id'], unique=False)

    op.create_table(
        'refunds',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('refund_no', sa.String(length=24), nullable=False),
        sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('method', sa.String(length=24), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('issued_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('station', sa.String(length=40), nullable=True),
        sa.Column('external_ref', sa.String(length=80), nullable=True),
        sa.Column('credit_note_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.ForeignKeyConstraint(
            ['credit_note_id'], ['credit_notes.id'], name=op.f('fk_refunds_credit_note_id_credit_notes')
        ),
        sa.ForeignKeyConstraint(['issued_by'], ['users.id'], name=op.f('fk_refunds_issued_by_users')),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_refunds_return_id_returns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
        sa.UniqueConstraint('refund_no', name=op.f('uq_refunds_refund_no')),
        sa.UniqueConstraint('return_id', name=op.f('uq_refunds_return_id')),
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index('ix_refunds_issued', ['issued_at', 'id'], unique=False)

    op.create_table(
        'replacement_lines',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('replacement_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_minor', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_replacement_lines_product_id_products')),
        sa.ForeignKeyConstraint(
            ['replacement_id'],
            ['replacement_orders.id'],
            name=op.f('fk_replacement_lines_replacement_id_replacement_orders'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_replacement_lines')),
    )
    with op.batch_alter_table('replacement_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replacement_lines_replacement_id'), ['replacement_id'], unique=False)

    op.create_table('journal_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entry_no', sa.String(length=24), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('refund_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('memo', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_journal_entries_refund_id_refunds')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_journal_entries_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entries')),
    sa.UniqueConstraint('entry_no', name=op.f('uq_journal_entries_entry_no'))
    )
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index('ix_journal_entries_posted', ['posted_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entries_return_id'), ['return_id'], unique=False)

    op.create_table(
        'refund_lines',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('refund_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('return_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('order_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('tax_minor', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ['order_line_id'], ['sales_order_lines.id'], name=op.f('fk_refund_lines_order_line_id_sales_order_lines')
        ),
        sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_refund_lines_refund_id_refunds')),
        sa.ForeignKeyConstraint(
            ['return_line_id'], ['return_lines.id'], name=op.f('fk_refund_lines_return_line_id_return_lines')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_lines')),
    )
    with op.batch_alter_table('refund_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_lines_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_lines_refund_id'), ['refund_id'], unique=False)

    op.create_table(
        'journal_lines',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('entry_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('account', sa.String(length=40), nullable=False),
        sa.Column('debit_minor', sa.BigInteger(), nullable=False),
        sa.Column('credit_minor', sa.BigInteger(), nullable=False),
        sa.Column('memo', sa.String(length=200), nullable=True),
        sa.CheckConstraint('debit_minor >= 0 AND credit_minor >= 0', name=op.f('ck_journal_lines_non_negative')),
        sa.ForeignKeyConstraint(
            ['entry_id'], ['journal_entries.id'], name=op.f('fk_journal_lines_entry_id_journal_entries')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_lines')),
    )
    with op.batch_alter_table('journal_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_lines_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('journal_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_lines_entry_id'))

    op.drop_table('journal_lines')
    with op.batch_alter_table('refund_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_lines_refund_id'))
        batch_op.drop_index(batch_op.f('ix_refund_lines_order_line_id'))

    op.drop_table('refund_lines')
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_entries_return_id'))
        batch_op.drop_index('ix_journal_entries_posted')

    op.drop_table('journal_entries')
    with op.batch_alter_table('replacement_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replacement_lines_replacement_id'))

    op.drop_table('replacement_lines')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index('ix_refunds_issued')

    op.drop_table('refunds')
    with op.batch_alter_table('inspection_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_units_return_line_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_units_return_id'))

    op.drop_table('inspection_units')
    with op.batch_alter_table('unexpected_parcels', schema=None) as batch_op:
        batch_op.drop_index('ix_unexpected_parcels_status')

    op.drop_table('unexpected_parcels')
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_movements_return_id'))
        batch_op.drop_index('ix_stock_movements_product_to')
        batch_op.drop_index('ix_stock_movements_product_from')

    op.drop_table('stock_movements')
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_lines_order_line_id'))

    op.drop_table('return_lines')
    op.drop_table('replacement_orders')
    with op.batch_alter_table('credit_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_notes_return_id'))

    op.drop_table('credit_notes')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_return_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_order_lines_product_id'))

    op.drop_table('sales_order_lines')
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_index('ix_returns_status_changed')
        batch_op.drop_index(batch_op.f('ix_returns_order_id'))
        batch_op.drop_index('ix_returns_expected')
        batch_op.drop_index(batch_op.f('ix_returns_customer_id'))
        batch_op.drop_index('ix_returns_created')
        batch_op.drop_index('ix_returns_approval_queue')

    op.drop_table('returns')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_orders_customer_id'))

    op.drop_table('sales_orders')
    op.drop_table('return_policies')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_barcode'))

    op.drop_table('products')
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.drop_index('ix_print_log_doc')

    op.drop_table('print_log')
    op.drop_table('users')
    op.drop_table('suppliers')
    op.drop_table('stock_locations')
    op.drop_table('stations')
    op.drop_table('return_reasons')
    op.drop_table('number_sequences')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_phone_tail'))
        batch_op.drop_index(batch_op.f('ix_customers_phone'))
        batch_op.drop_index(batch_op.f('ix_customers_name_fold'))
        batch_op.drop_index(batch_op.f('ix_customers_name'))

    op.drop_table('customers')
    op.drop_table('categories')
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')

    op.drop_table('audit_events')
