/** The routing model a loaded config compiles to, as the engine builds it. */
import { engineSetup } from '../../src/config/engineModel.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import type { RoutingModel } from '../../src/core/routing/model.ts';

export function routingModelOf(config: RevopsConfig): RoutingModel {
  const model = engineSetup(config).model.routing;
  if (model === undefined) throw new Error('the config has no routing section');
  return model;
}
