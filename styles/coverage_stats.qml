<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Fields" labelsEnabled="0">
  <aliases>
    <alias index="0" field="level" name="统计层级 level (grid, community, street, all)"/>
    <alias index="1" field="code" name="区域编码 area code"/>
    <alias index="2" field="name" name="区域名称 area name"/>
    <alias index="3" field="derived" name="临时社区（派生） provisional, derived community (1 = yes)"/>
    <alias index="4" field="kind" name="设施类别 facility kind"/>
    <alias index="5" field="minutes" name="步行分钟 walking minutes"/>
    <alias index="6" field="profile" name="步行人群 walking profile"/>
    <alias index="7" field="buildings" name="建筑数 buildings"/>
    <alias index="8" field="bldg_cov" name="覆盖建筑数 buildings covered"/>
    <alias index="9" field="bldg_pct" name="建筑覆盖率（%） buildings covered (%)"/>
    <alias index="10" field="households" name="户数 households"/>
    <alias index="11" field="hh_cov" name="覆盖户数 households covered"/>
    <alias index="12" field="hh_pct" name="户数覆盖率（%） households covered (%)"/>
    <alias index="13" field="population" name="人口 residents"/>
    <alias index="14" field="pop_cov" name="覆盖人口 residents covered"/>
    <alias index="15" field="pop_pct" name="人口覆盖率（%） residents covered (%)"/>
    <alias index="16" field="street_km" name="步行道路长度（公里） walkable street length (km)"/>
    <alias index="17" field="st_km_cov" name="覆盖道路长度（公里） street length within reach (km)"/>
    <alias index="18" field="st_km_pct" name="道路覆盖率（%） street length within reach (%)"/>
    <alias index="19" field="double_pct" name="交叉覆盖人口比例（%） residents covered twice or more (%)"/>
    <alias index="20" field="euclid_pct" name="直线距离覆盖率（%） residents covered by straight-line distance (%)"/>
    <alias index="21" field="scenario" name="情景 today, or after_siting (with the proposed sites open)"/>
  </aliases>
</qgis>
