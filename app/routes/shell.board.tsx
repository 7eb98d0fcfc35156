import { Link } from 'react-router';
import { Board } from '../board/Board.tsx';
import { boardColumns, kanbanOf } from '../board/board.server.ts';
import { pageError, readableEntity } from '../records.server.ts';
import { requireStaff } from '../staff.server.ts';
import boardStyles from '../styles/board.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/shell.board';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: boardStyles }];

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

/**
 * An entity's kanban board (看板, issue 6 §7): a column per option of the list view's `kanban`
 * group field (or the entity's first choice field), in option order and colour, each with its
 * first page of cards and its count, through the records engine — so the person's record scope
 * and hidden fields hold here as on the list. Further pages come from `board.cards.ts`.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const entity = readableEntity(staff, params.entity);
  const kanban = kanbanOf(staff, entity);
  if (!kanban) throw new Response(t(staff.locale, 'board_unavailable'), { status: 404 });
  try {
    const entityLabel = label(entity.label, staff.locale);
    const groupLabel = label(kanban.group['x-forma'].label, staff.locale);
    return {
      entity: entity.name,
      title: t(staff.locale, 'board_title', { entity: entityLabel }),
      groupBy: kanban.groupBy,
      groupLabel,
      canMove: kanban.canMove,
      columns: await boardColumns(staff, kanban),
    };
  } catch (error) {
    pageError(error, staff.locale);
  }
}

export default function BoardPage({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { entity, title, groupBy, groupLabel, canMove, columns } = loaderData;
  return (
    <div className="board-page">
      <div className="page-head">
        <h1>{title}</h1>
        <span className="muted">{t(locale, 'board_grouped_by', { field: groupLabel })}</span>
        <nav className="view-switch" aria-label={t(locale, 'board')}>
          <Link to={`/r/${entity}`}>{t(locale, 'board_list')}</Link>
          <span aria-current="page">{t(locale, 'board')}</span>
        </nav>
      </div>
      {canMove ? null : <p className="notice">{t(locale, 'board_read_only', { field: groupLabel })}</p>}
      <Board entity={entity} groupBy={groupBy} canMove={canMove} columns={columns} />
    </div>
  );
}
export { PageError as ErrorBoundary } from '../page-error.tsx';
