import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import { useShell } from './shell.tsx';
import type { Route } from './+types/shell.home';

export const meta: Route.MetaFunction = () => [{ title: 'Forma CRM' }];

/** The first screen after signing in: a greeting and the person's modules as tiles. */
export default function Home() {
  const locale = useLocale();
  const { user, modules } = useShell();
  return (
    <>
      <h1>{t(locale, 'welcome', { name: user.displayName })}</h1>
      <p className="muted">{t(locale, 'home_lead')}</p>
      <div className="tiles">
        {modules.map((module) => (
          <section key={module.name} className="card tile">
            <h2>{module.label}</h2>
            <ul>
              {module.entities.map((entity) => (
                <li key={entity.name}><a href={`/r/${entity.name}`}>{entity.label}</a></li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
