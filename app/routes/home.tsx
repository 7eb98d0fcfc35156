import type { Route } from './+types/home';

export const meta: Route.MetaFunction = () => [
  { title: 'Forma' },
  { name: 'description', content: '以元数据驱动的低代码 CRM 搭建工具 / A metadata-driven, low-code CRM builder' },
];

export default function Home() {
  return (
    <main className="page">
      <h1>Forma</h1>
      <p className="lead">以元数据驱动的低代码 CRM 搭建工具。</p>
      <p className="lead muted" lang="en">
        A metadata-driven, low-code CRM builder.
      </p>
      <p className="actions">
        {/* A resource route: a plain link, not client-side navigation. */}
        <a href="/health">运行状态 / Health</a>
      </p>
    </main>
  );
}
