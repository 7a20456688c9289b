/** WeChat Shop customer service: rooms, their messages, and the content only this vendor has. */

import type { VendorSchemaKit } from '../../schema/kit.js';
import type {
  WechatStoreContent,
  WechatStoreMessage,
  WechatStoreOrderCard,
  WechatStoreOrderProduct,
  WechatStoreProductCard,
  WechatStoreSystemNotice,
} from './normalize.js';

/** The vendor's GraphQL types (see `VendorDefinition.graphql`). */
export function wechatStoreTypes(kit: VendorSchemaKit): void {
  const { builder, content } = kit;

  kit.conversationType(
    'A WeChat Shop customer-service room: every session between one customer and the shop.',
  );

  const SystemNoticeRef = builder.objectRef<WechatStoreSystemNotice>('WechatStoreSystemNotice').implement({
    description: 'A notice the platform writes into the room (session ended, reply overdue, …).',
    fields: (t) => ({
      noticeType: t.exposeString('noticeType', {
        description: 'The vendor\'s notice type, e.g. "EndRoom", "SessionTimeoutRedDot".',
      }),
      text: t.exposeString('text', {
        description: 'The notice as the platform words it; empty when it sent none.',
      }),
    }),
  });

  const ProductCardRef = builder.objectRef<WechatStoreProductCard>('WechatStoreProductCard').implement({
    description: 'A product of the shop, shared as a card.',
    fields: (t) => ({
      productId: t.exposeString('productId', { nullable: true }),
      title: t.exposeString('title', { nullable: true }),
      imageUrl: t.exposeString('imageUrl', { nullable: true }),
      priceText: t.exposeString('priceText', {
        nullable: true,
        description: 'The price as the vendor words it.',
      }),
    }),
  });

  const OrderProductRef = builder.objectRef<WechatStoreOrderProduct>('WechatStoreOrderProduct').implement({
    description: 'One line of an order card.',
    fields: (t) => ({
      productId: t.exposeString('productId', { nullable: true }),
      title: t.exposeString('title', { nullable: true }),
      imageUrl: t.exposeString('imageUrl', { nullable: true }),
      quantity: t.exposeInt('quantity', { nullable: true }),
    }),
  });

  const OrderCardRef = builder.objectRef<WechatStoreOrderCard>('WechatStoreOrderCard').implement({
    description: 'An order of the customer, shared as a card.',
    fields: (t) => ({
      orderId: t.exposeString('orderId', { nullable: true }),
      stateText: t.exposeString('stateText', {
        nullable: true,
        description: 'The order state as the vendor words it.',
      }),
      priceText: t.exposeString('priceText', { nullable: true }),
      products: t.field({ type: [OrderProductRef], resolve: (card) => card.products }),
    }),
  });

  const WechatStoreContentUnion = kit.contentUnion<WechatStoreContent>(
    'WechatStoreContent',
    'What a WeChat Shop message holds.',
    [
      content.TextContentRef,
      content.ImageContentRef,
      content.VideoContentRef,
      content.AudioContentRef,
      SystemNoticeRef,
      ProductCardRef,
      OrderCardRef,
      content.UnsupportedContentRef,
    ],
  );

  kit.messageType<WechatStoreMessage>({
    description: 'A message of a WeChat Shop room.',
    fields: (t) => ({
      content: t.expose('content', { type: WechatStoreContentUnion }),
      sessionId: t.exposeString('sessionId', {
        nullable: true,
        description: 'The customer-service session within the room; null on platform notices.',
      }),
      deleted: t.exposeBoolean('deleted', {
        nullable: true,
        description: 'The vendor marks the message deleted (`is_delete`); null when it did not say.',
      }),
      failed: t.exposeBoolean('failed', {
        nullable: true,
        description: 'The message was not delivered (`is_fail`); null when the vendor did not say.',
      }),
      spamBlocked: t.exposeBoolean('spamBlocked', {
        nullable: true,
        description:
          "The platform's spam filter stopped the message (`is_hit_spam`): the other side never saw it.",
      }),
      acceptedByRobot: t.exposeBoolean('acceptedByRobot', {
        nullable: true,
        description:
          "The shop's customer-service robot handled the message (`accept_by_robot`); a shop-side message it handled has the `BOT` role.",
      }),
      replyType: t.exposeInt('replyType', {
        nullable: true,
        description: "The vendor's `reply_type`, as it numbers it (undocumented).",
      }),
      qaInfo: t.field({
        type: 'JSON',
        nullable: true,
        description: "The vendor's `qa_info_list` (question-answer matches) as sent; null when absent.",
        resolve: (message) => message.qaInfo,
      }),
    }),
  });
}
