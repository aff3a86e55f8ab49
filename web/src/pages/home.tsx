import { currentRound } from '../api';
import { useSession } from '../auth';
import { formatDate, KIND_NAMES } from '../format';
import { Loaded, Page, useAsync } from '../ui';

export function HomePage() {
  const session = useSession();
  const { result } = useAsync(currentRound, 'round');
  return (
    <Page title="首页" lead="市级劳务品牌、劳务协作基地的申报、审核、评审、公示与认定，全程网上办理。">
      <Loaded result={result} what="年度申报信息">
        {(round) => (
          <div className="card">
            <h2>{round.title}</h2>
            <p>
              申报类别：{round.kinds.map((kind) => KIND_NAMES[kind]).join('、')}；材料报送截止：
              {formatDate(Date.parse(round.deadline) - 1)}
            </p>
          </div>
        )}
      </Loaded>
      <div className="cards">
        <div className="card">
          <h2>申报单位、工作人员</h2>
          <p>申报单位在线填报、上传材料并提交；县、市人社部门和评审专家在线办理待办。</p>
          <a className="button" href={session ? '#/tasks' : '#/signin'}>
            {session ? '进入工作台' : '登录'}
          </a>
        </div>
        <div className="card">
          <h2>公示名单</h2>
          <p>查看本年度拟认定名单和公示期，在公示期内可实名提出异议。</p>
          <a className="button secondary" href="#/publicity">
            查看公示
          </a>
        </div>
        <div className="card">
          <h2>证书查验</h2>
          <p>输入证书编号，查验市级劳务品牌、劳务协作基地认定证书的真伪。</p>
          <a className="button secondary" href="#/verify">
            查验证书
          </a>
        </div>
      </div>
    </Page>
  );
}
