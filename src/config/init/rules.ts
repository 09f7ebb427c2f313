/**
 * The numeric rules init applies, each returning its reason: which template fits a motion and
 * contract value, the fit/engagement weights of the reference scoring models, and the deal-desk
 * threshold. Pure; the plan turns the reasons into `choices`.
 */
import type { GtmMotion } from './answers.ts';
import type { TemplateName } from '../templates/index.ts';

export interface Decision<T> {
  readonly value: T;
  readonly why: string;
}

/** `$18,000`, `$1.5M`. */
export function dollars(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}

const PLG_MAX = 5_000;
const MID_MAX = 25_000;
const ENTERPRISE_MIN = 50_000;

/**
 * The template for a motion and contract value (the explicit template is handled by the caller):
 * plg → plg; sales-led → sales-led unless ACV < $25K (mid-market); hybrid → mid-market unless ACV
 * ≥ $50K (sales-led) or < $5K (plg); no motion → ACV bands; nothing known → mid-market.
 */
export function templateFor(gtm: GtmMotion | undefined, acv: number | undefined): Decision<TemplateName> {
  const at = acv === undefined ? '' : ` at an ACV of ${dollars(acv)}`;
  switch (gtm) {
    case 'plg':
      return { value: 'plg', why: `a product-led motion${at} starts from the PLG template` };
    case 'sales-led':
      if (acv !== undefined && acv < MID_MAX)
        return {
          value: 'mid-market',
          why: `sales-led, but an ACV of ${dollars(acv)} is below $25K: mid-market deal sizes and SLAs fit better`,
        };
      return {
        value: 'sales-led',
        why:
          acv === undefined
            ? 'a sales-led motion with no ACV given starts from the sales-led template'
            : `a sales-led motion${at} (not below $25K) starts from the sales-led template`,
      };
    case 'hybrid':
      if (acv !== undefined && acv >= ENTERPRISE_MIN)
        return {
          value: 'sales-led',
          why: `hybrid, but an ACV of ${dollars(acv)} is enterprise-sized ($50K+): the sales-led template fits`,
        };
      if (acv !== undefined && acv < PLG_MAX)
        return {
          value: 'plg',
          why: `hybrid, but an ACV of ${dollars(acv)} is below $5K: the self-serve PLG template fits`,
        };
      return { value: 'mid-market', why: `a hybrid motion${at} starts from the mid-market template` };
    case undefined:
      if (acv === undefined)
        return {
          value: 'mid-market',
          why: 'neither motion nor ACV is known: mid-market is the balanced middle',
        };
      if (acv < PLG_MAX)
        return {
          value: 'plg',
          why: `no motion given; an ACV of ${dollars(acv)} is in the PLG band (under $5K)`,
        };
      if (acv < ENTERPRISE_MIN)
        return {
          value: 'mid-market',
          why: `no motion given; an ACV of ${dollars(acv)} is in the mid-market band ($5K-$50K)`,
        };
      return {
        value: 'sales-led',
        why: `no motion given; an ACV of ${dollars(acv)} is in the enterprise band ($50K+)`,
      };
  }
}

export interface Weights {
  readonly fit: number;
  readonly engagement: number;
}

/**
 * Fit/engagement shares of the reference models: PLG (ACV $500-$5K) 30/70, mid-market
 * ($5K-$25K) 50/50, enterprise ($50K+) 60/40; between $25K and $50K the hybrid 50/50. The ACV
 * decides when known, otherwise the motion; with neither, undefined (the template's weights stay).
 */
export function weightsFor(
  gtm: GtmMotion | undefined,
  acv: number | undefined,
): Decision<Weights> | undefined {
  if (acv !== undefined) {
    const at = `an ACV of ${dollars(acv)}`;
    if (acv < PLG_MAX)
      return {
        value: { fit: 30, engagement: 70 },
        why: `${at} is in the PLG band (under $5K): engagement and product usage carry the score, 30/70`,
      };
    if (acv < MID_MAX)
      return {
        value: { fit: 50, engagement: 50 },
        why: `${at} is in the mid-market band ($5K-$25K): fit and engagement count equally, 50/50`,
      };
    if (acv < ENTERPRISE_MIN)
      return {
        value: { fit: 50, engagement: 50 },
        why: `${at} sits between mid-market and enterprise ($25K-$50K): the hybrid 50/50 split`,
      };
    return {
      value: { fit: 60, engagement: 40 },
      why: `${at} is enterprise-sized ($50K+): fit to the ideal customer weighs more, 60/40`,
    };
  }
  switch (gtm) {
    case 'plg':
      return {
        value: { fit: 30, engagement: 70 },
        why: 'no ACV given; a product-led motion scores mostly on engagement, 30/70',
      };
    case 'sales-led':
      return {
        value: { fit: 60, engagement: 40 },
        why: 'no ACV given; a sales-led motion scores mostly on fit, 60/40',
      };
    case 'hybrid':
      return {
        value: { fit: 50, engagement: 50 },
        why: 'no ACV given; a hybrid motion weighs fit and engagement equally, 50/50',
      };
    case undefined:
      return undefined;
  }
}

/** Two significant figures: 36,912 → 37,000; 246,912 → 250,000. */
export function niceRound(amount: number): number {
  if (amount <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(amount)) - 1);
  return Math.round(amount / step) * step;
}

export const DEAL_DESK_FLOOR = 25_000;

/**
 * Deals above twice the average contract are not standard deals, so they go to review; never
 * below the reference's $25K line, and rounded to two significant figures.
 */
export function dealDeskThresholdFor(acv: number): Decision<number> {
  const twice = 2 * acv;
  const value = niceRound(Math.max(DEAL_DESK_FLOOR, twice));
  const why =
    twice <= DEAL_DESK_FLOOR
      ? `twice the ACV (${dollars(twice)}) is not above the reference's $25K line, so deals above $25K get a review`
      : `deals above twice the ACV (2 × ${dollars(acv)} = ${dollars(twice)}, rounded to ${dollars(value)}) are non-standard; that is above the reference's $25K floor`;
  return { value, why };
}
