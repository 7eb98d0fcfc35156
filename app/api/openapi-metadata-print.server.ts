import { PAPER_SIZES } from '../../engine/print/paper.ts';
import type { ApiPart, DocumentTools, Schema } from './openapi.server.ts';

/**
 * The metadata API (app/api/metadata.server.ts) and the print API (app/api/print.server.ts) as
 * parts of the OpenAPI document: their paths, the schemas those use and their tags. Which
 * callers see them is openapi.server.ts's choice; these only describe them.
 */

/**
 * `/api/v1/metadata/…`, for administrators: the documents, and changing them the way the admin
 * designers do (plan → apply, history, rollback). Documents and plan steps are loosely typed —
 * each kind has its own meta-schema (engine/metadata/schemas), each step its own members.
 */
export function metadataApi({ t, ref, errors, refusal, jsonBody }: DocumentTools): ApiPart {
  const tags = ['metadata'];
  const conflict = refusal(t('冲突：basedOn 之后有人改过同样的文档（metadata_conflict，problems 列出文档、修改人和版本），或 baseVersion 之后元数据已有新版本（plan_stale）',
    'Conflict: someone changed the same documents since `basedOn` (`metadata_conflict`, with each document, who and which version in `problems`), or the metadata has a newer version than `baseVersion` (`plan_stale`)'));
  // A plan whose data checks fail is still a plan (`refused`); applying it is refused with 400 `plan_refused`.
  const invalid = refusal(t('输入无效：如文档不符合元模式或相互矛盾（metadata_invalid）；problems 列出每个问题及其位置',
    'Bad input, such as documents that break their meta-schema or each other (`metadata_invalid`); `problems` lists each with its place'));
  const refused = refusal(t('输入无效，或数据核对未通过（plan_refused）；problems 列出每个问题及其位置',
    'Bad input, or data checks that failed (`plan_refused`); `problems` lists each with its place'));
  const version = (description: string) => ({ type: 'integer', minimum: 0, description });
  const basedOn = version(t('读取文档时的元数据版本：此后有人改过同样的文档则返回 409 metadata_conflict',
    'The metadata version the documents were read at: 409 `metadata_conflict` when someone changed the same documents since'));
  const reason = { type: 'string', maxLength: 500, description: t('变更原因（记入历史，超出 500 字的部分舍去）', 'Why (kept in the history; cut at 500 characters)') };
  const changeSet = {
    upsert: { type: 'array', items: ref('MetadataDocument'), description: t('要新建或替换的文档', 'Documents to create or replace') },
    remove: { type: 'array', items: ref('MetadataDocumentName'), description: t('要删除的文档（实体只归档，表和数据保留）', 'Documents to remove (an entity is archived: its table and data stay)') },
  };
  return {
    tag: { name: 'metadata', description: t('元数据：文档、变更计划、应用、历史与回滚（仅管理员）', 'Metadata: documents, change plans, applying, history and rollback (administrators only)') },
    paths: {
      '/api/v1/metadata': {
        get: {
          operationId: 'metadata.documents', tags, summary: t('读取当前版本的全部元数据文档', 'Every metadata document of the current version'),
          responses: {
            200: answer(t('当前版本及其文档', 'The current version and its documents'), { type: 'object', required: ['version', 'documents'],
              properties: { version: { type: 'integer', minimum: 0 }, documents: { type: 'array', items: ref('MetadataDocument') } } }),
            ...errors(400, 401, 403),
          },
        },
      },
      '/api/v1/metadata/plan': {
        post: {
          operationId: 'metadata.plan', tags, summary: t('预览变更计划（不做任何修改）', 'Plan a change, changing nothing'),
          description: t('列出应用变更将执行的每一步及其风险，并先行核对数据。', 'Lists every step applying the change would take, with its risk, the data checks already run.'),
          requestBody: jsonBody({ type: 'object', properties: changeSet }),
          responses: { 200: answer(t('变更计划', 'The plan'), ref('MetadataPlan')), 400: invalid, ...errors(401, 403, 413, 415) },
        },
      },
      '/api/v1/metadata/apply': {
        post: {
          operationId: 'metadata.apply', tags, summary: t('应用变更（在一个事务中完成）', 'Apply a change, in one transaction'),
          description: t('重新生成计划并原子地执行；任何一步失败都会整体回滚。', 'Plans again and runs it atomically: any failure rolls everything back.'),
          requestBody: jsonBody({
            type: 'object',
            properties: {
              ...changeSet, basedOn,
              baseVersion: version(t('计划所依据的版本：此后元数据有任何变更则返回 409 plan_stale', 'The version planned on: 409 `plan_stale` when the metadata changed at all since')),
              reason,
            },
          }),
          responses: { 200: answer(t('已应用（无变化时版本不变）', 'Applied (the same version when there was nothing to do)'), ref('MetadataApplied')), 400: refused, 409: conflict, ...errors(401, 403, 413, 415) },
        },
      },
      '/api/v1/metadata/history': {
        get: {
          operationId: 'metadata.history', tags, summary: t('元数据的全部版本：谁、何时、为何修改', 'Every metadata version: who, when, why'),
          responses: {
            200: answer(t('全部版本，最新的在前', 'Every version, newest first'), { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: ref('MetadataVersion') } } }),
            ...errors(400, 401, 403),
          },
        },
      },
      '/api/v1/metadata/history/{version}': {
        parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: t('元数据版本', 'The metadata version') }],
        get: {
          operationId: 'metadata.version', tags, summary: t('某个版本改了什么（逐文档的可读说明）', 'What one version changed, as readable lines per document'),
          responses: {
            200: answer(t('该版本的变更', 'The changes of that version'), { type: 'object', required: ['version', 'changes'],
              properties: { version: { type: 'integer', minimum: 1 }, changes: { type: 'array', items: ref('DocumentChange') } } }),
            400: refusal(t('版本号无效或不存在（version_unknown）', 'Not a version number, or no such version (`version_unknown`)')),
            ...errors(401, 403),
          },
        },
      },
      '/api/v1/metadata/rollback': {
        post: {
          operationId: 'metadata.rollback', tags, summary: t('回滚到之前的版本', 'Roll back to an earlier version'),
          description: t('与其他变更一样经过计划与数据核对；当时还不存在的字段和实体会连同数据归档，而不是删除。', 'Planned and checked like any change: fields and entities that did not exist then are archived with their data, not dropped.'),
          requestBody: jsonBody({
            type: 'object', required: ['version'],
            properties: { version: { type: 'integer', minimum: 1, description: t('要回到的版本', 'The version to return to') }, basedOn, reason },
          }),
          responses: { 200: answer(t('已回滚', 'Rolled back'), ref('MetadataApplied')), 400: refused, 409: conflict, ...errors(401, 403, 413, 415) },
        },
      },
    },
    schemas: {
      MetadataDocument: {
        type: 'object', required: ['kind', 'name'], additionalProperties: true,
        description: t('一份元数据文档，结构由其 kind 的元模式规定（见 docs/metadata.md）', 'A metadata document, shaped by the meta-schema of its kind (docs/metadata.md)'),
        properties: {
          kind: { type: 'string', description: t('文档类型（entity、role、printTemplate 等）', 'The kind (entity, role, printTemplate…)') },
          name: { type: 'string' },
          label: ref('LocalizedText'),
        },
      },
      MetadataDocumentName: { type: 'object', required: ['kind', 'name'], properties: { kind: { type: 'string' }, name: { type: 'string' } } },
      MetadataOperation: {
        type: 'object', required: ['op', 'risk', 'summary'], additionalProperties: true,
        description: t('计划中的一步，另含该步自身的成员（table、column 等）', 'One step of a plan, with its own members besides (table, column…)'),
        properties: {
          op: { type: 'string', description: 'createTable, addColumn, alterColumnType, createIndex, archiveField, saveDocument…' },
          risk: {
            enum: ['safe', 'checked', 'destructive'],
            description: t('safe：不改动数据；checked：须先核对数据，核对不通过则拒绝；destructive：删除数据（仅彻底清除时）', '`safe`: changes no data; `checked`: safe only because the data was checked first (refused while the check fails); `destructive`: drops data (purges only)'),
          },
          summary: ref('LocalizedText'),
          check: {
            type: 'object', required: ['passed', 'count'],
            description: t('数据核对的结果', 'The result of its data check'),
            properties: { passed: { type: 'boolean' }, count: { type: 'integer', minimum: 0, description: t('不符合要求的行数', 'Rows standing in the way') }, problem: ref('Problem') },
          },
        },
      },
      MetadataPlan: {
        type: 'object', required: ['workspace', 'baseVersion', 'operations', 'problems', 'refused', 'destructive', 'written', 'removed'],
        properties: {
          workspace: { type: 'string' },
          baseVersion: { type: 'integer', minimum: 0, description: t('计划所依据的版本（应用时作 baseVersion）', 'The version planned on (`baseVersion` when applying)') },
          operations: { type: 'array', items: ref('MetadataOperation') },
          problems: { type: 'array', items: ref('Problem'), description: t('未通过的数据核对', 'The data checks that failed') },
          refused: { type: 'boolean', description: t('有数据核对未通过时不能应用', 'Cannot be applied while a data check fails') },
          destructive: { type: 'boolean' },
          written: { type: 'array', items: ref('MetadataDocument'), description: t('新版本写入的文档', 'The documents the new version writes') },
          removed: { type: 'array', items: ref('MetadataDocumentName') },
        },
      },
      MetadataApplied: {
        type: 'object', required: ['version', 'changed', 'plan'],
        properties: { version: { type: 'integer', minimum: 0 }, changed: { type: 'boolean', description: t('无事可做时为 false', 'false when there was nothing to do') }, plan: ref('MetadataPlan') },
      },
      MetadataVersion: {
        type: 'object', required: ['version', 'createdAt', 'actor', 'reason', 'operations'],
        properties: {
          version: { type: 'integer', minimum: 1 },
          createdAt: { type: 'string', format: 'date-time' },
          actor: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
          reason: { type: ['string', 'null'] },
          operations: { type: 'array', items: ref('MetadataOperation') },
        },
      },
      DocumentChange: {
        type: 'object', required: ['kind', 'name', 'label', 'change', 'lines'],
        properties: {
          kind: { type: 'string' },
          name: { type: 'string' },
          label: ref('LocalizedText'),
          change: { enum: ['created', 'changed', 'removed'] },
          lines: { type: 'array', items: ref('LocalizedText'), description: t('每处修改一行', 'One line per change') },
        },
      },
    },
  };
}

/**
 * `/api/v1/print/…`: one record as a PDF, batch print jobs and their PDFs. Refusals name what
 * was refused: a 404 here is a template, record or job, not an entity's path.
 */
export function printApi({ t, ref, errors, refusal, jsonBody, query }: DocumentTools): ApiPart {
  const tags = ['print'];
  const template = { name: 'template', in: 'path', required: true, schema: { type: 'string' }, description: t('打印模板名称', 'The print template\'s name') };
  const job = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: t('打印任务 ID', 'The print job\'s id') };
  const download = query('download', { type: 'boolean' }, '1 或 true：作为文件下载（默认在浏览器中打开）', '1 or true: saved as a file (default: shown in the browser)');
  const startPosition = { type: 'integer', minimum: 1 };
  const startPositionText = ['标签模板：第一张标签从第几格开始（默认按模板设定）', 'Label templates: the cell the first label goes in (default: the template\'s)'] as const;
  const day = { type: 'string', format: 'date' };
  const pdf = (description: string) => ({
    description,
    headers: { 'Content-Disposition': { schema: { type: 'string' }, description: t('inline 或 attachment，带文件名', '`inline` or `attachment`, with the file name') } },
    content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
  });
  const jobNotFound = refusal(t('任务不存在、已过期（保留一天）或不是本人提交的', 'No such job: unknown, removed a day after it was asked for, or someone else\'s'));
  const notSetUp = refusal(t('服务器尚未配置打印（浏览器或字体缺失）或打印超时', 'Printing is not set up on the server (browser or fonts missing), or it timed out'));
  const templateInvalid = refusal(t('模板无法编译或渲染：problems 列出每个问题的行号和列号', 'The template does not compile or render: `problems` gives each one\'s line and column'));
  const forbidden = refusal(t('没有打印该实体记录的权限', 'No right to print records of that entity'));
  return {
    tag: { name: 'print', description: t('打印：用打印模板生成 PDF，单条或批量', 'Printing: PDFs from print templates, one record or a batch') },
    paths: {
      '/api/v1/print/templates': {
        get: {
          operationId: 'print.templates', tags, summary: t('可用的打印模板', 'The print templates the caller may use'),
          parameters: [query('entity', { type: 'string' }, '只列出该实体的模板', 'Only the templates of this entity')],
          responses: {
            200: answer(t('模板列表，按中文名称排序', 'The templates, in the order of their Chinese labels'), { type: 'object', required: ['templates'], properties: { templates: { type: 'array', items: ref('PrintTemplate') } } }),
            ...errors(400, 401),
            404: refusal(t('实体不存在', 'No such entity')),
          },
        },
      },
      '/api/v1/print/{template}/{id}': {
        parameters: [template, { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: t('记录 ID', 'Record id') }],
        get: {
          operationId: 'print.record', tags, summary: t('用模板打印一条记录（PDF）', 'Print one record with a template, as a PDF'),
          description: t('文字使用调用者的语言；每次打印都记入系统日志。', 'Texts in the caller\'s language; every print is logged.'),
          parameters: [
            query('entity', { type: 'string' }, '记录所属的实体：模板属于其他实体时拒绝', 'The record\'s entity: a template of another one is refused'),
            download,
            query('startPosition', startPosition, ...startPositionText),
            query('from', day, '对账单等的期间起始日（YYYY-MM-DD，默认为本月第一天）', 'Start of the period of a statement (YYYY-MM-DD; default the first of this month)'),
            query('to', day, '期间截止日（YYYY-MM-DD，默认为本月最后一天）', 'End of the period (YYYY-MM-DD; default the last of this month)'),
          ],
          responses: {
            200: pdf(t('PDF 文件', 'The PDF')), ...errors(400, 401), 403: forbidden,
            404: refusal(t('模板或记录不存在（或调用者看不到）', 'No such template or record (for the caller)')), 422: templateInvalid, 503: notSetUp,
          },
        },
      },
      '/api/v1/print/{template}/jobs': {
        parameters: [template],
        post: {
          operationId: 'print.submitJob', tags, summary: t('批量打印：提交打印任务', 'Print a batch: submit a print job'),
          description: t('能提前检查的都会先检查，随后由后台打印，记录数不设上限；进度见 Location 给出的地址。', 'Everything that can be checked is checked now, then a worker prints it, with no cap on the records; its progress is at the `Location` address.'),
          requestBody: jsonBody({
            type: 'object', additionalProperties: false,
            description: t('ids 或 filter 二选一', 'Either `ids` or `filter`'),
            oneOf: [{ required: ['ids'] }, { required: ['filter'] }],
            properties: {
              ids: { type: 'array', minItems: 1, items: { type: 'string', format: 'uuid' }, description: t('按此顺序打印这些记录', 'These records, in this order') },
              filter: ref('listView.filter'),
              sort: { type: 'array', items: ref('listView.sortKey'), description: t('与 filter 同用时的顺序', 'The order, with `filter`') },
              startPosition: { ...startPosition, description: t(...startPositionText) },
              period: { type: 'object', properties: { from: day, to: day }, description: t('对账单等的期间（缺省为本月）', 'The period of statements (default this month)') },
            },
          }),
          responses: {
            202: {
              ...answer(t('任务已排队：total 为要打印的记录数（超过 10,000 条时为估算值）', 'Queued: `total` is the number of records to print (an estimate beyond 10,000)'),
                { type: 'object', required: ['id', 'total'], properties: { id: { type: 'string', format: 'uuid' }, total: { type: 'integer', minimum: 0 } } }),
              headers: { Location: { description: t('任务状态的地址', 'URL of the job\'s status'), schema: { type: 'string', format: 'uri-reference' } } },
            },
            ...errors(400, 401), 403: forbidden, 404: refusal(t('模板或记录不存在', 'No such template or record')),
            ...errors(413, 415), 422: templateInvalid,
            429: refusal(t('排队或进行中的任务已达上限，请等待之前的任务完成', 'Too many of the caller\'s jobs queued or running: wait for one to finish')),
            503: notSetUp,
          },
        },
      },
      '/api/v1/print/jobs/{id}': {
        parameters: [job],
        get: {
          operationId: 'print.job', tags, summary: t('打印任务的进度', 'A print job\'s progress'),
          responses: { 200: answer(t('任务状态', 'The job'), ref('PrintJob')), ...errors(401), 404: jobNotFound },
        },
      },
      '/api/v1/print/jobs/{id}/pdf': {
        parameters: [job],
        get: {
          operationId: 'print.jobPdf', tags, summary: t('下载已完成任务的 PDF', 'The PDF of a finished job'),
          parameters: [download],
          responses: {
            200: pdf(t('PDF 文件', 'The PDF')), ...errors(400, 401), 404: jobNotFound,
            409: refusal(t('任务尚未完成或已失败（print_job_not_done）', 'The job has not finished, or failed (`print_job_not_done`)')),
          },
        },
      },
    },
    schemas: {
      PrintTemplate: {
        type: 'object', required: ['name', 'entity', 'label', 'paper', 'orientation', 'size', 'labels'],
        properties: {
          name: { type: 'string' },
          entity: { type: 'string', description: t('模板打印的实体', 'The entity it prints') },
          label: ref('LocalizedText'),
          paper: { oneOf: [{ enum: Object.keys(PAPER_SIZES) }, ref('PaperSize')], description: t('纸张名称或自定义尺寸', 'A paper name or a size of its own') },
          orientation: { enum: ['portrait', 'landscape'] },
          size: { ...ref('PaperSize'), description: t('打印页面尺寸（横向时已对调）', 'The printed page (turned for landscape)') },
          labels: {
            oneOf: [{ type: 'null' }, { type: 'object', required: ['rows', 'columns', 'startPosition'], properties: { rows: { type: 'integer' }, columns: { type: 'integer' }, startPosition: { type: 'integer' } } }],
            description: t('标签模板的版式；其他模板为 null', 'A label template\'s sheet; null for other templates'),
          },
        },
      },
      PaperSize: { type: 'object', required: ['width', 'height'], description: t('单位：毫米', 'In millimetres'), properties: { width: { type: 'number' }, height: { type: 'number' } } },
      PrintJob: {
        type: 'object', required: ['id', 'template', 'state', 'stage', 'done', 'total', 'createdAt', 'startedAt', 'finishedAt', 'size'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          template: { type: 'string' },
          state: { enum: ['queued', 'running', 'done', 'failed'] },
          stage: { enum: ['read', 'render', null], description: t('进行中时：读取记录，然后渲染', 'While running: reading the records, then rendering them') },
          done: { type: 'integer', minimum: 0 },
          total: { type: 'integer', minimum: 0, description: t('开始渲染后为精确值', 'Exact once rendering starts') },
          error: { ...ref('Error'), description: t('失败原因', 'Why it failed') },
          createdAt: { type: 'string', format: 'date-time' },
          startedAt: { type: ['string', 'null'], format: 'date-time' },
          finishedAt: { type: ['string', 'null'], format: 'date-time' },
          size: { type: ['integer', 'null'], description: t('PDF 的字节数（完成后）', 'The PDF\'s size in bytes, once done') },
          pdf: { type: 'string', format: 'uri-reference', description: t('完成后 PDF 的地址', 'URL of the PDF, once done') },
        },
      },
    },
  };
}

/** A JSON answer of this schema. */
function answer(description: string, schema: Schema): Schema {
  return { description, content: { 'application/json': { schema } } };
}
